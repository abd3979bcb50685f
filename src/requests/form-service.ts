import { opportunityMachine } from '../opportunities/machine.ts';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { notify } from '../lifecycle/notify.ts';
import {
  create,
  inOneTransaction,
  transition,
  TransitionError,
  type StepOutcome,
} from '../lifecycle/transition.ts';
import { nextReference } from '../opportunities/reference.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate } from '../platform/dates.ts';
import { CAP_CENTS, highestPreTaxPriceCents, withinCap } from '../platform/money.ts';
import { plannedClosingOn, problemsOf } from './facts.ts';
import type { StepInput } from './form-schemas.ts';
import {
  clientDepartmentsOf,
  criteriaOf,
  findRequest,
  lockRequest,
  saveCriteria,
  saveCiChecks,
  returnsOf,
  updateRequest,
} from './repo.ts';
import { checkSplitting, lockSplittingCheck } from './splitting.ts';
import { withCompletedStep } from './steps.ts';

/** A saved value the form refuses, as a locale key with amounts and dates to format. */
export interface Refusal {
  field: string;
  key: string;
  amounts?: Record<string, number>;
  dates?: Record<string, string>;
}

/** Why a person cannot change a request: it is someone else's, or no longer a draft. */
export type Blocked = 'notRequester' | 'notDraft';

function blockOf(request: OpportunityRow, user: CurrentUser): Blocked | undefined {
  if (request.requester_id !== user.id) return 'notRequester';
  if (request.status !== 'draft') return 'notDraft';
  return undefined;
}

/** The request the URL names, and whether this person may change it now. */
export async function requestToEdit(
  deps: AppDeps,
  reference: string,
  user: CurrentUser,
): Promise<{ request: OpportunityRow; blocked?: Blocked } | undefined> {
  const request = await findRequest(deps.db, reference);
  return request && { request, blocked: blockOf(request, user) };
}

/** Opens a draft in a department where the person is a client; undefined if they are not. */
export async function startRequest(
  deps: AppDeps,
  user: CurrentUser,
  form: { department: number; sourceLanguage: 'en' | 'fr' },
): Promise<string | undefined> {
  const departments = await clientDepartmentsOf(deps.db, user.id);
  if (!departments.some((d) => d.id === form.department)) return undefined;
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const reference = await nextReference(trx, Number(easternDate(now).slice(0, 4)));
    await create(trx, opportunityMachine, {
      values: {
        reference,
        department_id: form.department,
        requester_id: user.id,
        source_language: form.sourceLanguage,
      },
      actor: user,
      now,
      action: 'request_started',
      payload: { sourceLanguage: form.sourceLanguage },
    });
    return reference;
  });
}

const overCap = (): Refusal => ({
  field: 'price',
  key: 'requests.errors.overCap',
  amounts: { highest: highestPreTaxPriceCents(), cap: CAP_CENTS },
});

/**
 * Checks made before writing: a price over the cap, which the database refuses to store, and
 * preferred dates in the past (a check of the form, not a rule of the request).
 */
function refusalsBeforeSaving(input: StepInput, now: Date): Refusal[] {
  if (input.step !== 4) return [];
  const today = easternDate(now);
  const refusals: Refusal[] = withinCap(input.price) ? [] : [overCap()];
  if (input.preferredOpensOn && input.preferredOpensOn < today) {
    refusals.push({ field: 'preferredOpensOn', key: 'requests.errors.opensInPast' });
  }
  if (input.preferredClosesOn && input.preferredClosesOn <= today) {
    refusals.push({ field: 'preferredClosesOn', key: 'requests.errors.closesInPast' });
  }
  return refusals;
}

/** The guardrails (src/requests/rules.ts) a step's own fields can break, as field messages. */
const ruleRefusals: Record<string, (row: OpportunityRow, now: Date) => Refusal> = {
  due_before_closing: (row, now) => ({
    field: 'deliveryDueOn',
    key: 'requests.errors.dueBeforeClosing',
    dates: { closing: plannedClosingOn(row, now) },
  }),
  cost_centre: () => ({ field: 'costCentre', key: 'requests.errors.costCentre' }),
  payment_method: () => ({ field: 'paymentMethod', key: 'requests.errors.paymentMethod' }),
  card_exemption: () => ({ field: 'paymentMethod', key: 'requests.errors.cardExemption' }),
};

/** Checks the saved step against the request's guardrails, in the saving transaction. */
async function brokenRules(
  trx: Knex.Transaction,
  requestId: number,
  step: number,
  now: Date,
): Promise<Refusal[]> {
  const row = await lockRequest(trx, requestId);
  if (!row) return [];
  return (await problemsOf(trx, row, now)).flatMap((problem) => {
    const refusal = problem.step === step ? ruleRefusals[problem.code] : undefined;
    return refusal ? [refusal(row, now)] : [];
  });
}

/** A step that breaks a rule: its writes are rolled back. */
class StepRefused extends Error {
  constructor(readonly refusals: Refusal[]) {
    super('step refused');
  }
}

/** The opportunity columns a step writes, in the language the client writes in. */
function columnsOf(input: StepInput, lang: 'en' | 'fr'): Record<string, unknown> {
  switch (input.step) {
    case 1:
      return {
        [`title_${lang}`]: input.title,
        [`summary_${lang}`]: input.summary,
        [`description_${lang}`]: input.description,
      };
    case 2:
      return {
        repository_url: input.repositoryUrl,
        licence: input.licence,
        [`skills_${lang}`]: input.skills,
      };
    case 3:
      return {};
    case 4:
      return {
        // The tax-inclusive maximum is the database's to compute (a generated column).
        price_cents: input.price,
        delivery_due_on: input.deliveryDueOn,
        preferred_opens_on: input.preferredOpensOn,
        preferred_closes_on: input.preferredClosesOn,
      };
    case 5:
      return {
        cost_centre: input.costCentre,
        fund: input.fund,
        gl_account: input.glAccount,
        payment_method: input.paymentMethod,
      };
  }
}

export type SaveOutcome =
  { ok: true } | { ok: false; refusals: Refusal[] } | { ok: false; blocked: Blocked };

/**
 * Saves one step of a draft and marks it done. The version moves on, so a review page opened
 * before this change can no longer submit what the client did not see.
 */
export async function saveStep(
  deps: AppDeps,
  user: CurrentUser,
  requestId: number,
  input: StepInput,
): Promise<SaveOutcome> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx): Promise<SaveOutcome> => {
      const request = await lockRequest(trx, requestId);
      if (!request) return { ok: false, blocked: 'notRequester' };
      const blocked = blockOf(request, user);
      if (blocked) return { ok: false, blocked };
      const early = refusalsBeforeSaving(input, now);
      if (early.length > 0) return { ok: false, refusals: early };
      const lang = request.source_language;
      await updateRequest(trx, request.id, {
        ...columnsOf(input, lang),
        completed_steps: withCompletedStep((request.completed_steps as string[]) ?? [], input.step),
        version: request.version + 1,
        updated_at: now,
      });
      if (input.step === 3) {
        await saveCriteria(trx, 'acceptance_criteria', request.id, lang, input.acceptanceCriteria);
        await saveCriteria(trx, 'mandatory_criteria', request.id, lang, input.mandatoryCriteria);
        await saveCiChecks(trx, request.id, input.ciChecks ?? []);
      }
      const refusals = await brokenRules(trx, request.id, input.step, now);
      if (refusals.length > 0) throw new StepRefused(refusals);
      await recordOpportunityEvent(trx, {
        opportunityId: request.id,
        action: 'request_step_saved',
        actorId: user.id,
        at: now,
        payload: { step: input.step },
      });
      return { ok: true };
    });
  } catch (error) {
    if (error instanceof StepRefused) return { ok: false, refusals: error.refusals };
    throw error;
  }
}

/** Everything the review page shows besides the request itself. */
export async function reviewOf(deps: AppDeps, request: OpportunityRow) {
  const now = deps.clock.now();
  const [problems, splitting, criteria, returns] = await Promise.all([
    problemsOf(deps.db, request, now),
    checkSplitting(deps.db, request, now),
    criteriaOf(deps.db, request.id),
    returnsOf(deps.db, request.id),
  ]);
  return { problems, splitting, criteria, returns };
}

async function submitInTransaction(
  deps: AppDeps,
  trx: Knex.Transaction,
  user: CurrentUser,
  requestId: number,
  form: { justification: string; version: number },
): Promise<void> {
  const now = deps.clock.now();
  const request = await lockRequest(trx, requestId);
  if (!request) throw new TransitionError({ kind: 'not_found' });
  await lockSplittingCheck(trx, request.department_id);
  const splitting = await checkSplitting(trx, request, now);
  const justification = splitting.exceedsCap ? form.justification || null : null;
  await updateRequest(trx, request.id, {
    splitting_justification: justification,
    splitting_related: JSON.stringify(splitting),
    // An approval given in an earlier round was for what was justified then.
    splitting_approved_by: null,
    splitting_approved_at: null,
  });
  const { eventId } = await transition(trx, opportunityMachine, {
    now: deps.clock.now(),
    id: request.id,
    action: 'submit',
    actor: user,
    expectedVersion: form.version,
  });
  await notify(trx, now, {
    template: 'request-submitted',
    opportunityId: request.id,
    to: [{ role: 'program_officer' }],
    key: eventId,
    detail: justification ?? undefined,
  });
}

/**
 * Submits the draft for screening: the contract-splitting check as it stands now is kept with
 * the justification, then the `submit` transition (whose guards refuse a request that breaks a
 * rule) and the program team's emails, all in one transaction.
 */
export async function submitRequest(
  deps: AppDeps,
  user: CurrentUser,
  requestId: number,
  form: { justification: string; version: number },
): Promise<StepOutcome> {
  return inOneTransaction(deps.db, (trx) => submitInTransaction(deps, trx, user, requestId, form));
}
