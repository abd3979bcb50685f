import type { Knex } from 'knex';
import { findProfile } from '../accounts/profile.ts';
import { fingerprintApplication } from '../draw/service.ts';
import {
  create,
  inOneTransaction,
  transition,
  TransitionError,
  type TransitionFailure,
} from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { FieldError } from '../platform/forms.ts';
import { languages, type Lang, type Translate } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { attestedLines } from './attestations.ts';
import { beforeDeadline } from './deadline.ts';
import { applicationMachine, untilTheDeadline } from './machine.ts';
import {
  attestationTextById,
  currentAttestationText,
  findApplicationIdOf,
  findOpportunityToApply,
  mandatoryCriteriaOf,
  saveContent,
  type ApplicationRecord,
  type AttestationText,
  type CriterionToAnswer,
} from './repo.ts';
import {
  completenessErrors,
  parseApplicationForm,
  type ApplicationAction,
  type ApplicationInput,
} from './schemas.ts';

/** Why a step was refused (routes/refusalMessage() puts it in words). */
export type Refusal = 'deadline' | 'wrongState' | 'stale' | 'notFound';

export type Started = { ok: true; id: number } | { ok: false; refusal: Refusal };

function refusalOfFailure(f: TransitionFailure): Refusal {
  if (f.kind === 'guard') return 'deadline';
  if (f.kind === 'wrong_state') return 'wrongState';
  if (f.kind === 'stale') return 'stale';
  return 'notFound';
}

function refusalOf(error: unknown): Refusal {
  if (!(error instanceof TransitionError)) throw error;
  return refusalOfFailure(error.failure);
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * "Apply": the supplier's application to this opportunity — the one they have, whatever its
 * state, or a new draft (through the lifecycle's create(), whose guard refuses it after the
 * deadline). Two clicks at once make one application: the second finds the first.
 */
export async function startApplication(
  deps: AppDeps,
  supplier: CurrentUser,
  reference: string,
  language: Lang,
): Promise<Started> {
  const o = await findOpportunityToApply(deps.db, reference);
  if (!o) return { ok: false, refusal: 'notFound' };
  const existing = await findApplicationIdOf(deps.db, o.id, supplier.id);
  if (existing !== undefined) return { ok: true, id: existing };
  try {
    const now = deps.clock.now();
    const { id } = await deps.db.transaction(async (trx) => {
      const closed = await beforeDeadline(trx, o.id, now);
      if (closed) throw new TransitionError({ kind: 'guard', failure: closed });
      return create(trx, applicationMachine, {
        values: {
          opportunity_id: o.id,
          department_id: o.department_id,
          supplier_id: supplier.id,
          language,
        },
        actor: supplier,
        now,
      });
    });
    return { ok: true, id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const id = await findApplicationIdOf(deps.db, o.id, supplier.id);
      if (id !== undefined) return { ok: true, id };
    }
    return { ok: false, refusal: refusalOf(error) };
  }
}

export type Acted =
  | { ok: true; action: ApplicationAction }
  | { ok: false; errors: FieldError[] }
  | { ok: false; refusal: Refusal };

interface ActInput {
  action: ApplicationAction;
  version: number;
  body: Record<string, unknown>;
  lang: Lang;
  t: Translate;
}

/** Whether the profile says how the supplier can be paid: card and/or PayPal. */
export async function paymentReadiness(deps: AppDeps, supplierId: number) {
  const profile = await findProfile(deps.db, supplierId);
  const card = profile?.acceptsCard ?? false;
  const paypal = Boolean(profile?.paypalEmail);
  return { card, paypal, ready: card || paypal };
}

/**
 * One press of a button on the application page: save the draft, submit it, revise (or confirm)
 * a submitted one, reopen it or withdraw it. The content is written and the step taken in one
 * transaction, and every one of them is refused after the deadline by the machine's guard.
 */
export async function actOnApplication(
  deps: AppDeps,
  supplier: CurrentUser,
  record: ApplicationRecord,
  a: ActInput,
): Promise<Acted> {
  const now = deps.clock.now();
  const writes = a.action === 'save' || a.action === 'submit' || a.action === 'revise';
  const sends = a.action === 'submit' || a.action === 'revise';
  const [criteria, payment] = await Promise.all([
    mandatoryCriteriaOf(deps.db, record.opportunity_id),
    sends ? paymentReadiness(deps, supplier.id) : undefined,
  ]);
  const ids = criteria.map((c) => c.id);
  const parsed = writes ? parseApplicationForm(a.body, ids, a.t) : undefined;
  if (parsed && parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  if (parsed && payment) {
    const missing = completenessErrors(parsed.input, payment.ready, a.t);
    if (missing.length > 0) return { ok: false, errors: missing };
  }
  const outcome = await inOneTransaction(deps.db, async (trx) => {
    const wording = parsed ? await shownWording(trx, parsed.input, a.lang) : undefined;
    if (parsed && wording) {
      await saveContent(trx, record.id, {
        input: parsed.input,
        attestationTextId: wording.id,
        criteria,
        language: a.lang,
        now,
        submission: payment && { card: payment.card, paypal: payment.paypal },
      });
    }
    if (a.action === 'save') {
      // Not a step of the machine: the guard's rule, read the same way.
      await transitionlessGuard(trx, record, supplier, now);
      return;
    }
    const step = { id: record.id, actor: supplier, expectedVersion: a.version, now };
    await transition(trx, applicationMachine, { ...step, action: a.action });
    // The application's public name in the draw, from its first submission on (kept after).
    if (a.action === 'submit') await fingerprintApplication(trx, record.id, now);
    if (parsed && wording && sends) {
      await emailCopy(trx, supplier, { record, criteria, input: parsed.input, wording, now });
    }
  });
  if (!outcome.ok) return { ok: false, refusal: refusalOfFailure(outcome.failure) };
  return { ok: true, action: a.action };
}

/**
 * A draft's save takes no step, but obeys the same rule as one: still the supplier's draft, and
 * before the deadline as the opportunity's row says now.
 */
async function transitionlessGuard(
  trx: Knex.Transaction,
  record: ApplicationRecord,
  supplier: CurrentUser,
  now: Date,
): Promise<void> {
  const row = await trx('applications').where({ id: record.id }).forUpdate().first('status');
  if (row?.status !== 'draft') {
    throw new TransitionError({ kind: 'wrong_state', status: String(row?.status) });
  }
  const failure = await untilTheDeadline({ trx, record, actor: supplier, now });
  if (failure) throw new TransitionError({ kind: 'guard', failure });
}

/** The wording the page showed (its id came back with the form), else the current one. */
async function shownWording(
  trx: Knex.Transaction,
  input: ApplicationInput,
  lang: Lang,
): Promise<AttestationText> {
  const shown =
    input.attestationTextId === undefined
      ? undefined
      : await attestationTextById(trx, input.attestationTextId);
  return shown ?? (await currentAttestationText(trx, lang));
}

/** The confirmation email with a copy of what was submitted, the supplier's language first. */
async function emailCopy(
  trx: Knex.Transaction,
  supplier: CurrentUser,
  sent: {
    record: ApplicationRecord;
    criteria: readonly CriterionToAnswer[];
    input: ApplicationInput;
    wording: AttestationText;
    now: Date;
  },
): Promise<void> {
  const { record, criteria, input, now } = sent;
  const copy = (lang: Lang) =>
    criteria.map((c, index) => {
      const answer = input.answers.find((x) => x.criterionId === c.id);
      return {
        number: index + 1,
        criterion: lang === 'fr' ? c.text_fr : c.text_en,
        answer: answer?.answer ?? '',
        links: answer?.links ?? [],
      };
    });
  const closesAt = record.closes_at ? new Date(record.closes_at) : now;
  const link = (lang: Lang) => url('applicationConfirmation', { id: record.id }, lang);
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `application-received:${record.id}:${now.toISOString()}`,
      template: 'application-received',
      to: supplier.email,
      language: supplier.language,
      data: {
        reference: record.reference,
        title: { en: record.title_en, fr: record.title_fr },
        deadline: Object.fromEntries(languages.map((l) => [l, formatDeadline(closesAt, l)])),
        links: Object.fromEntries(languages.map((l) => [l, link(l)])),
        answers: Object.fromEntries(languages.map((l) => [l, copy(l)])),
        attested: attestedLines(sent.wording, input.attestations),
      },
    },
    now,
  );
}
