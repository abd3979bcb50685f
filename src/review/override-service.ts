import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Machine } from '../lifecycle/machine.ts';
import { notify } from '../lifecycle/notify.ts';
import {
  confirmationRefusal,
  confirmOverride,
  findOverride,
  overridesAwaitingConfirmation,
  proposeOverride,
  stepStanding,
  type OverrideState,
  type PendingOverride,
  type StepStanding,
} from '../lifecycle/overrides.ts';
import type { Conflict } from '../lifecycle/segregation.ts';
import {
  inOneTransaction,
  TransitionError,
  type TransitionFailure,
} from '../lifecycle/transition.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import { departmentsOf, type CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import type { PageName } from '../platform/routes.ts';
import { findRequest } from '../requests/repo.ts';
import { fileMachines } from './history.ts';
import type { ProposeOverrideForm } from './override-schemas.ts';
import { findDepartmentNames, findPerson, type DepartmentNames, type PersonName } from './repo.ts';
import type { Outcome } from './service.ts';

type Request = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** An override names its record by entity: the machine of that entity in the file. */
const machineOf = (entity: string): Machine | undefined =>
  fileMachines.find((m) => m.entity === entity);

/** The page where the person refused takes the step, once the override is confirmed. */
export function stepPage(override: Pick<PendingOverride, 'entityType' | 'action'>): PageName {
  if (override.entityType === 'invoice' && override.action === 'certify') {
    return 'certificationEvidence';
  }
  return override.entityType === 'opportunity' && override.action === 'approve_funds'
    ? 'approveFunds'
    : 'request';
}

const outcomeOf = (done: { ok: true } | { ok: false; failure: TransitionFailure }): Outcome =>
  done.ok ? { ok: true } : { ok: false, refusal: { kind: 'transition', failure: done.failure } };

/** A lifecycle question whose record turned out missing is a refusal, not an error. */
async function refusalOf(ask: () => Promise<TransitionFailure | undefined>) {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof TransitionError) return error.failure;
    throw error;
  }
}

/** Where the viewer stands on section 32 for this request, and who confirmed their override. */
export async function section32Standing(
  db: Db,
  row: Request,
  viewer: CurrentUser,
): Promise<{ standing: StepStanding; confirmer: PersonName | undefined }> {
  return db.transaction(async (trx) => {
    const standing = await stepStanding(trx, opportunityMachine, row, 'approve_funds', viewer);
    const confirmedBy = standing.kind === 'overridable' ? standing.override?.confirmedBy : null;
    return { standing, confirmer: await findPerson(trx, confirmedBy ?? null) };
  });
}

/** The section 32 manager refused for a conflict asks a second one to confirm an override. */
export async function proposeSection32Override(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  form: ProposeOverrideForm,
  /** The page's language, which the reason was typed in. */
  lang?: Lang,
): Promise<Outcome> {
  const now = deps.clock.now();
  const done = await inOneTransaction(deps.db, async (trx) => {
    const row = await findRequest(trx, reference);
    if (!row) throw new TransitionError({ kind: 'not_found' });
    if (row.version !== form.version) throw new TransitionError({ kind: 'stale' });
    await proposeOverride(trx, opportunityMachine, {
      id: row.id,
      action: 'approve_funds',
      actor,
      reason: form.overrideReason,
      reasonLang: lang,
      now,
    });
  });
  return outcomeOf(done);
}

/** Everything the confirmation page shows about one override of this request. */
export interface OverrideRecord {
  row: Request;
  override: PendingOverride & { state: OverrideState };
  machine: Machine;
  department: DepartmentNames | undefined;
  proposer: PersonName | undefined;
  confirmer: PersonName | undefined;
  /** What bars the proposer from the step without it, as the file's history says now. */
  conflicts: Conflict[];
  /** Why the viewer may not confirm it, when it awaits confirmation; undefined if they may. */
  refusal: TransitionFailure | undefined;
}

async function overrideOf(trx: Knex.Transaction, reference: string, overrideId: number) {
  const row = await findRequest(trx, reference);
  const override = await findOverride(trx, overrideId);
  // An override is reached through its own request only: another request's number names none.
  if (!row || !override || override.opportunityId !== row.id) return undefined;
  const machine = machineOf(override.entityType);
  return machine ? { row, override, machine } : undefined;
}

export async function overrideRecord(
  db: Db,
  reference: string,
  overrideId: number,
  viewer: CurrentUser,
): Promise<OverrideRecord | undefined> {
  return db.transaction(async (trx) => {
    const found = await overrideOf(trx, reference, overrideId);
    if (!found) return undefined;
    const { row, override, machine } = found;
    const refusal =
      override.state === 'awaiting'
        ? await refusalOf(() => confirmationRefusal(trx, machine, override, viewer))
        : undefined;
    const record = await trx(machine.table).where({ id: override.entityId }).first();
    const standing = await stepStanding(trx, machine, record, override.action, {
      id: override.actorId,
    });
    // One transaction is one connection: its queries go one after the other.
    const department = await findDepartmentNames(trx, override.departmentId);
    const proposer = await findPerson(trx, override.proposedBy);
    const confirmer = await findPerson(trx, override.confirmedBy);
    const conflicts = standing.kind === 'clear' ? [] : standing.conflicts;
    return { row, override, machine, department, proposer, confirmer, conflicts, refusal };
  });
}

/**
 * The second person confirms from their own session; the proposer is told by email, in both
 * languages, that they may now take the step (once).
 */
export async function confirmStepOverride(
  deps: AppDeps,
  confirmer: CurrentUser,
  reference: string,
  overrideId: number,
): Promise<Outcome> {
  const now = deps.clock.now();
  const done = await inOneTransaction(deps.db, async (trx) => {
    const found = await overrideOf(trx, reference, overrideId);
    if (!found) throw new TransitionError({ kind: 'not_found' });
    const { row, override, machine } = found;
    await confirmOverride(trx, machine, { overrideId, confirmer, now });
    const proposer: { email: string; language: 'en' | 'fr' | null } | undefined = await trx('users')
      .where({ id: override.proposedBy })
      .whereNull('closed_at')
      .first('email', 'preferred_language as language');
    if (proposer) {
      await notify(trx, now, {
        template: 'override-confirmed',
        opportunityId: row.id,
        to: [proposer],
        key: override.id,
        link: stepPage(override),
        detail: override.reason,
      });
    }
  });
  return outcomeOf(done);
}

/** One override awaiting this person, with the request it is about. */
export interface OverrideToConfirm {
  override: PendingOverride;
  machine: Machine;
  reference: string;
  title: { title_en: string; title_fr: string; source_language: 'en' | 'fr' };
  proposer: PersonName | undefined;
}

/**
 * "Needs attention": the overrides in the person's departments that they could confirm now —
 * steps whose role they hold, someone else's proposal, no conflict of their own.
 */
export async function overridesToConfirm(db: Db, user: CurrentUser): Promise<OverrideToConfirm[]> {
  const departmentIds = departmentsOf(user);
  if (departmentIds.length === 0) return [];
  return db.transaction(async (trx) => {
    const found: OverrideToConfirm[] = [];
    for (const override of await overridesAwaitingConfirmation(trx, departmentIds)) {
      const machine = machineOf(override.entityType);
      if (!machine || override.proposedBy === user.id) continue;
      const refusal = await refusalOf(() => confirmationRefusal(trx, machine, override, user));
      if (refusal) continue;
      const opportunity = await trx('opportunities')
        .where({ id: override.opportunityId })
        .first('reference', 'title_en', 'title_fr', 'source_language');
      found.push({
        override,
        machine,
        reference: opportunity.reference,
        title: opportunity,
        proposer: await findPerson(trx, override.proposedBy),
      });
    }
    return found;
  });
}
