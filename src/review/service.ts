import { historyStaffMayRead } from '../applications/sealed.ts';
import { contractsOf } from '../contracts/repo.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import type { Role } from '../platform/roles.ts';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { delegatedLimitOf, needsSplittingApproval } from '../opportunities/guards.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { notify } from '../lifecycle/notify.ts';
import { withdrawPendingEmails } from '../platform/mail/outbox.ts';
import { previewTokenOf } from '../publishing/preview-link.ts';
import { announcementKeyPrefix } from '../publishing/service.ts';
import {
  inOneTransaction,
  transition,
  TransitionError,
  type TransitionFailure,
} from '../lifecycle/transition.ts';
import { availableActions } from '../lifecycle/access.ts';
import type { OpportunityAction } from '../opportunities/machine.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import { criteriaOf, findRequest, type CriterionRow } from '../requests/repo.ts';
import { problemsOf } from '../requests/facts.ts';
import type { RuleProblem } from '../requests/rules.ts';
import {
  approveSplitting,
  evaluationsToDo,
  findDepartmentNames,
  findFundReservation,
  findPerson,
  historyOf,
  insertFundReservation,
  previewsAwaiting,
  requestRelease,
  requestsInStatus,
  returnedDrafts,
  type DepartmentNames,
  type FundReservationRow,
  type HistoryRow,
  type PersonName,
  type QueueRow,
} from './repo.ts';
import { releaseFundReservation } from './fund-reservations.ts';
import type { CancelForm, ReleaseForm, ScreeningForm, Section32Form } from './schemas.ts';

/** Why a step was refused: a lifecycle refusal, or one of this feature's own (a locale key). */
export type Refusal =
  { kind: 'transition'; failure: TransitionFailure } | { kind: 'message'; key: string };

export type Outcome = { ok: true } | { ok: false; refusal: Refusal };

const ok: Outcome = { ok: true };
const refuse = (key: string): Outcome => ({ ok: false, refusal: { kind: 'message', key } });

/** One person's action: a refused transition rolls everything back and becomes the refusal. */
async function inTransaction(
  db: Db,
  work: (trx: Knex.Transaction) => Promise<Outcome>,
): Promise<Outcome> {
  const done = await inOneTransaction(db, work);
  return done.ok
    ? done.value
    : { ok: false, refusal: { kind: 'transition', failure: done.failure } };
}

async function requestOrRefuse(trx: Knex.Transaction, reference: string): Promise<OpportunityRow> {
  const row = await findRequest(trx, reference);
  if (!row) throw new TransitionError({ kind: 'not_found' });
  return row;
}

/**
 * Department-wide reading of requests (review M6): the program team, the section 32 managers and
 * finance read every request of their department; a client reads only the requests they made.
 */
const departmentReaders = ['program_officer', 'section32_manager', 'finance_officer'] as const;

/** May this person read this request (its page, its cancellation, its questions)? */
export function readsRequest(
  user: CurrentUser | undefined,
  row: Pick<OpportunityRow, 'requester_id' | 'department_id'>,
): boolean {
  if (!user) return false;
  return row.requester_id === user.id || hasRole(user, departmentReaders, row.department_id);
}

/** The lifecycle actions this person may take on the request now: the machine answers. */
export function allowedActions(
  row: OpportunityRow,
  viewer: CurrentUser | undefined,
): OpportunityAction[] {
  return availableActions(opportunityMachine, row, viewer ?? null);
}

/**
 * The program team's decision on a submitted request. Accepting may first approve the
 * contract-splitting justification (never by the requester), then hands the request to the
 * section 32 managers; returning and declining tell the client with the comments.
 */
export async function screenRequest(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: ScreeningForm,
  /** The page's language, which the comments were typed in. */
  lang?: Lang,
): Promise<Outcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const row = await requestOrRefuse(trx, reference);
    const base = { id: row.id, actor, expectedVersion: form.version, now };
    if (form.decision === 'accept') {
      if (form.approveSplitting && needsSplittingApproval(row)) {
        if (row.requester_id === actor.id) return refuse('review.errors.ownSplitting');
        // Approving on a page someone else has since changed would approve what nobody saw.
        if (row.version !== form.version) throw new TransitionError({ kind: 'stale' });
        if (!(await approveSplitting(trx, row.id, actor.id, now))) {
          throw new TransitionError({ kind: 'stale' });
        }
        await recordOpportunityEvent(trx, {
          opportunityId: row.id,
          action: 'splitting_approved',
          actorId: actor.id,
          at: now,
          payload: { totalCents: row.splitting_related?.totalCents ?? null },
        });
      }
      const { eventId } = await transition(trx, opportunityMachine, { ...base, action: 'screen' });
      await notify(trx, now, {
        template: 'funds-approval-needed',
        opportunityId: row.id,
        to: [{ role: 'section32_manager' }],
        key: eventId,
        link: 'approveFunds',
      });
      return ok;
    }
    const returning = form.decision === 'return';
    const { eventId } = await transition(trx, opportunityMachine, {
      ...base,
      action: returning ? 'return_to_client' : 'decline',
      reason: form.comments,
      reasonLang: lang,
    });
    await notify(trx, now, {
      template: returning ? 'request-returned' : 'request-declined',
      opportunityId: row.id,
      to: ['requester'],
      key: eventId,
      detail: form.comments,
    });
    return ok;
  });
}

/**
 * FAA section 32: the manager's attestation and the fund reservation are recorded with the
 * transition, in one transaction; the wording kept is the one the manager read, with the amount.
 */
export async function approveFunds(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: Section32Form,
  attestation: (amountCents: number) => { text: string; lang: Lang },
): Promise<Outcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const row = await requestOrRefuse(trx, reference);
    // The guards refuse a total over the cap or over the manager's limit, and missing coding.
    const { eventId } = await transition(trx, opportunityMachine, {
      now: deps.clock.now(),
      id: row.id,
      action: 'approve_funds',
      actor,
      expectedVersion: form.version,
      payload: { reservationNumber: form.reservationNumber },
    });
    const amountCents = row.max_total_cents ?? 0;
    const attested = attestation(amountCents);
    await insertFundReservation(trx, {
      opportunityId: row.id,
      departmentId: row.department_id,
      reservationNumber: form.reservationNumber,
      amountCents,
      costCentre: row.cost_centre ?? '',
      fund: row.fund ?? '',
      glAccount: row.gl_account ?? '',
      delegatedLimitCents: delegatedLimitOf(actor, row.department_id) ?? 0,
      attestation: attested.text,
      attestationLanguage: attested.lang,
      approvedBy: actor.id,
      approvedAt: now,
    });
    await notify(trx, now, {
      template: 'translation-needed',
      opportunityId: row.id,
      to: [{ role: 'program_officer' }],
      key: eventId,
    });
    return ok;
  });
}

/** Cancels before award; reserved funds are then to be released by finance. */
export async function cancelRequest(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: CancelForm,
  /** The page's language, which the reason was typed in. */
  lang?: Lang,
): Promise<Outcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const row = await requestOrRefuse(trx, reference);
    const { eventId } = await transition(trx, opportunityMachine, {
      now: deps.clock.now(),
      id: row.id,
      action: 'cancel',
      actor,
      expectedVersion: form.version,
      reason: form.reason,
      reasonLang: lang,
    });
    // Published to open later: subscribers must not hear of it after all.
    await withdrawPendingEmails(trx, announcementKeyPrefix(row.id));
    // The client is told when someone else cancels their request.
    if (row.requester_id !== actor.id) {
      await notify(trx, now, {
        template: 'request-cancelled',
        opportunityId: row.id,
        to: ['requester'],
        key: eventId,
        detail: form.reason,
      });
    }
    if (await requestRelease(trx, row.id, now)) {
      await notify(trx, now, {
        template: 'funds-release-requested',
        opportunityId: row.id,
        to: [{ role: 'section32_manager' }, { role: 'finance_officer' }],
        key: eventId,
        detail: form.reason,
      });
    }
    return ok;
  });
}

/**
 * Records that finance released the funds asked back, in the financial system: everything left
 * (no amount typed), or part of it, which leaves the rest reserved and in finance's queue.
 */
export async function releaseFunds(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: ReleaseForm = { amountCents: null },
): Promise<Outcome> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const row = await requestOrRefuse(trx, reference);
    const released = await releaseFundReservation(trx, actor, {
      opportunityId: row.id,
      cents: form.amountCents ?? undefined,
      now,
      onlyIfRequested: true,
    });
    return released.ok ? ok : refuse(released.key);
  });
}

/** Everything the request page shows, read in one go. */
export interface RequestRecord {
  row: OpportunityRow;
  department: DepartmentNames | undefined;
  requester: PersonName | undefined;
  splittingApprover: PersonName | undefined;
  criteria: { mandatory: CriterionRow[]; acceptance: CriterionRow[] };
  history: HistoryRow[];
  reservation: FundReservationRow | undefined;
  problems: RuleProblem[];
  /** The preview link's token, derived again from the server's secret (never stored). */
  previewToken: string | null;
  /** Its contracts once their terms were accepted, oldest first (the contract pages). */
  contracts: { id: number; status: string }[];
}

export async function requestRecord(
  db: Db,
  reference: string,
  now: Date,
  previewSecret: string,
): Promise<RequestRecord | undefined> {
  const row = await findRequest(db, reference);
  if (!row) return undefined;
  const [
    department,
    requester,
    splittingApprover,
    criteria,
    history,
    reservation,
    problems,
    contracts,
  ] = await Promise.all([
    findDepartmentNames(db, row.department_id),
    findPerson(db, row.requester_id),
    findPerson(db, row.splitting_approved_by),
    criteriaOf(db, row.id),
    historyOf(db, row.id),
    findFundReservation(db, row.id),
    problemsOf(db, row, now),
    contractsOf(db, row.id),
  ]);
  return {
    row,
    department,
    requester,
    splittingApprover,
    criteria,
    history: historyStaffMayRead(history, row.status),
    reservation,
    problems,
    previewToken: previewTokenOf(previewSecret, row),
    contracts,
  };
}

type QueueName =
  | 'returned'
  | 'previews'
  | 'toScreen'
  | 'toTranslate'
  | 'toPublish'
  | 'toApprove'
  | 'toEvaluate'
  | 'evaluations';

type QueueSource = (
  db: Db,
  departmentIds: readonly number[],
  user: CurrentUser,
) => Promise<QueueRow[]>;

const queueSources: Record<QueueName, QueueSource> = {
  returned: (db, ids, user) => returnedDrafts(db, ids, user.id),
  previews: (db, ids, user) => previewsAwaiting(db, ids, user.id),
  toScreen: (db, ids) => requestsInStatus(db, ids, 'submitted'),
  toTranslate: (db, ids) => requestsInStatus(db, ids, 'funds_approved'),
  toPublish: (db, ids) => requestsInStatus(db, ids, 'ready'),
  // A manager never approves funds for their own request: someone else's queue.
  toApprove: (db, ids, user) => requestsInStatus(db, ids, 'screened', user.id),
  toEvaluate: (db, ids, user) => evaluationsToDo(db, ids, user.id),
  // Closed and not yet locked: the program officer follows each evaluation's progress.
  evaluations: (db, ids) => requestsInStatus(db, ids, 'closed'),
};

/** What each role finds in "Needs attention", in the order the sections appear. */
const queuesByRole = [
  { role: 'client', queues: ['returned', 'previews', 'toEvaluate'] },
  { role: 'program_officer', queues: ['toScreen', 'toTranslate', 'toPublish', 'evaluations'] },
  { role: 'section32_manager', queues: ['toApprove'] },
  // Funds to release, and the later steps' queues, come from src/queues/service.ts.
] as const satisfies readonly { role: Role; queues: readonly QueueName[] }[];

export interface RoleQueues {
  role: Role;
  queues: { name: QueueName; rows: QueueRow[] }[];
}

/** One section per role the person holds, each across the departments where they hold it. */
export async function workQueues(db: Db, user: CurrentUser): Promise<RoleQueues[]> {
  const sections: RoleQueues[] = [];
  for (const { role, queues } of queuesByRole) {
    const departmentIds = user.grants.flatMap((g) =>
      g.role === role && g.departmentId !== null ? [g.departmentId] : [],
    );
    if (departmentIds.length === 0) continue;
    sections.push({
      role,
      queues: await Promise.all(
        queues.map(async (name) => ({
          name,
          rows: await queueSources[name](db, departmentIds, user),
        })),
      ),
    });
  }
  return sections;
}
