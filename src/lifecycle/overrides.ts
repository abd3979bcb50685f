import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import { isLang, type Lang } from '../platform/i18n.ts';
import { dutiesPerformed, recordEvent } from './events.ts';
import { fileOf, type Machine, type StatefulRow, type TransitionDef } from './machine.ts';
import {
  canOverride,
  checkDuties,
  isOverridable,
  MIN_OVERRIDE_REASON_LENGTH,
  type Conflict,
  type DutyCheckInput,
} from './segregation.ts';
import { mayAct } from './access.ts';
import { TransitionError, type TransitionFailure } from './refusal.ts';

/**
 * Segregation overrides (DOMAIN.md: "an override needs a reason and a second person with the same
 * authority who confirms it; both are logged"). The person refused proposes one with a reason;
 * a second person holding the step's role in the department, with no conflict of their own,
 * confirms it from their own session; the step then goes ahead once, through transition(), and
 * its event names both.
 */
export interface PendingOverride {
  id: number;
  entityType: string;
  entityId: number;
  action: string;
  actorId: number;
  proposedBy: number;
  reason: string;
  /** The language the proposer wrote the reason in; null before it was recorded. */
  reasonLang: Lang | null;
  proposedAt: Date;
  confirmedBy: number | null;
  confirmedAt: Date | null;
}

interface OverrideRow {
  id: string | number;
  entity_type: string;
  entity_id: string | number;
  action: string;
  actor_id: string | number;
  proposed_by: string | number;
  reason: string;
  reason_lang: string | null;
  proposed_at: Date;
  confirmed_by: string | number | null;
  confirmed_at: Date | null;
}

const toOverride = (r: OverrideRow): PendingOverride => ({
  id: Number(r.id),
  entityType: r.entity_type,
  entityId: Number(r.entity_id),
  action: r.action,
  actorId: Number(r.actor_id),
  proposedBy: Number(r.proposed_by),
  reason: r.reason,
  reasonLang: isLang(r.reason_lang) ? r.reason_lang : null,
  proposedAt: r.proposed_at,
  confirmedBy: r.confirmed_by === null ? null : Number(r.confirmed_by),
  confirmedAt: r.confirmed_at,
});

const open = (q: Knex.QueryBuilder) => q.whereNull('used_event_id').whereNull('withdrawn_at');

async function loadStep<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  id: number,
  action: Action,
  actorId: number,
): Promise<{ row: Row; def: TransitionDef<Row, string>; check: DutyCheckInput }> {
  const def: TransitionDef<Row, string> | undefined = machine.transitions[action];
  const row: Row | undefined = await trx(machine.table).where({ id }).first();
  if (!row || !def) throw new TransitionError({ kind: 'not_found' });
  if (!def.duty)
    throw new TransitionError({
      kind: 'segregation',
      conflicts: [],
      refusal: 'nothing_to_override',
    });
  const supplier = machine.supplierOf?.(row) ?? null;
  return {
    row,
    def,
    check: {
      history: await dutiesPerformed(trx, fileOf(machine, row)),
      actorId,
      duty: def.duty,
      beneficiaryIds: supplier === null ? [] : [supplier],
    },
  };
}

/** The person refused for a conflict asks for an override, with a reason of 20 characters or more. */
export async function proposeOverride<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  input: {
    id: number;
    action: Action;
    actor: CurrentUser;
    reason: string;
    /** The page's language, which the reason was typed in. */
    reasonLang?: Lang;
    now: Date;
  },
): Promise<number> {
  const { row, def, check } = await loadStep(trx, machine, input.id, input.action, input.actor.id);
  if (!mayAct(machine, def.roles, row, input.actor))
    throw new TransitionError({ kind: 'forbidden' });
  if (!def.from.includes(row.status)) {
    throw new TransitionError({ kind: 'wrong_state', status: row.status });
  }
  const duties = checkDuties(check);
  if (duties.allowed) {
    throw new TransitionError({
      kind: 'segregation',
      conflicts: [],
      refusal: 'nothing_to_override',
    });
  }
  const { conflicts } = duties;
  if (!conflicts.every(isOverridable)) {
    throw new TransitionError({
      kind: 'segregation',
      conflicts,
      refusal: 'conflict_not_overridable',
    });
  }
  const reason = input.reason.trim().normalize('NFC');
  if ([...reason].length < MIN_OVERRIDE_REASON_LENGTH) {
    const refusal = reason === '' ? 'reason_missing' : 'reason_too_short';
    throw new TransitionError({ kind: 'segregation', conflicts, refusal });
  }
  await open(
    trx('segregation_overrides').where({
      entity_type: machine.entity,
      entity_id: row.id,
      action: input.action,
      actor_id: input.actor.id,
    }),
  ).update({ withdrawn_at: input.now });
  const [inserted] = await trx('segregation_overrides')
    .insert({
      opportunity_id: fileOf(machine, row),
      department_id: machine.departmentOf(row),
      entity_type: machine.entity,
      entity_id: row.id,
      action: input.action,
      actor_id: input.actor.id,
      proposed_by: input.actor.id,
      reason,
      reason_lang: input.reasonLang ?? null,
      proposed_at: input.now,
    })
    .returning('id');
  const overrideId = Number(inserted.id);
  await recordEvent(trx, {
    entityType: machine.entity,
    entityId: row.id,
    opportunityId: machine.opportunityOf(row),
    departmentId: machine.departmentOf(row),
    action: 'propose_override',
    actorId: input.actor.id,
    at: input.now,
    reason,
    reasonLang: input.reasonLang,
    payload: { overrideId, step: input.action, conflicts },
  });
  return overrideId;
}

/**
 * Would this person's confirmation be accepted? They hold the step's role in the record's
 * department, are not the proposer and are independent of every duty in conflict (canOverride
 * decides, from the same history). The confirmation screen asks before offering its button.
 */
async function checkConfirmation<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  override: PendingOverride,
  confirmer: CurrentUser,
): Promise<
  { ok: true; row: Row; overridden: Conflict[] } | { ok: false; failure: TransitionFailure }
> {
  const { row, def, check } = await loadStep(
    trx,
    machine,
    override.entityId,
    override.action as Action,
    override.actorId,
  );
  if (!mayAct(machine, def.roles, row, confirmer)) {
    return { ok: false, failure: { kind: 'forbidden' } };
  }
  // The step happened without it, or can no longer happen: nothing is left to vouch for.
  if (!def.from.includes(row.status)) {
    return { ok: false, failure: { kind: 'wrong_state', status: row.status } };
  }
  const decision = canOverride(check, { confirmedBy: confirmer.id, reason: override.reason });
  const proposerConfirms = confirmer.id === override.proposedBy;
  if (!decision.accepted || proposerConfirms) {
    const refusal = decision.accepted ? 'confirmer_is_actor' : decision.refusal;
    return { ok: false, failure: { kind: 'segregation', conflicts: [], refusal } };
  }
  return { ok: true, row, overridden: decision.overridden };
}

/** Why this person may not confirm this override now, or undefined when they may. */
export async function confirmationRefusal<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  override: PendingOverride,
  confirmer: CurrentUser,
): Promise<TransitionFailure | undefined> {
  const checked = await checkConfirmation(trx, machine, override, confirmer);
  return checked.ok ? undefined : checked.failure;
}

/** A second person confirms, from their own session; the event names both. */
export async function confirmOverride<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  input: { overrideId: number; confirmer: CurrentUser; now: Date },
): Promise<void> {
  const found: OverrideRow | undefined = await open(
    trx('segregation_overrides').where({ id: input.overrideId, entity_type: machine.entity }),
  )
    .whereNull('confirmed_by')
    .forUpdate()
    .first();
  if (!found) throw new TransitionError({ kind: 'not_found' });
  const override = toOverride(found);
  const checked = await checkConfirmation(trx, machine, override, input.confirmer);
  if (!checked.ok) throw new TransitionError(checked.failure);
  const { row } = checked;
  await trx('segregation_overrides')
    .where({ id: override.id })
    .update({ confirmed_by: input.confirmer.id, confirmed_at: input.now });
  await recordEvent(trx, {
    entityType: machine.entity,
    entityId: row.id,
    opportunityId: machine.opportunityOf(row),
    departmentId: machine.departmentOf(row),
    action: 'confirm_override',
    actorId: input.confirmer.id,
    at: input.now,
    reason: override.reason,
    reasonLang: override.reasonLang,
    payload: {
      overrideId: override.id,
      step: override.action,
      proposedBy: override.proposedBy,
      confirmedBy: input.confirmer.id,
      conflicts: checked.overridden,
    },
  });
}

/** The confirmed, unused override letting this person take this step, if any. */
export async function confirmedOverrideFor(
  trx: Knex.Transaction,
  step: { entityType: string; entityId: number; action: string; actorId: number },
): Promise<(PendingOverride & { confirmedBy: number }) | undefined> {
  const found: OverrideRow | undefined = await open(
    trx('segregation_overrides').where({
      entity_type: step.entityType,
      entity_id: step.entityId,
      action: step.action,
      actor_id: step.actorId,
    }),
  )
    .whereNotNull('confirmed_by')
    .first();
  if (!found) return undefined;
  const override = toOverride(found);
  return override.confirmedBy === null
    ? undefined
    : { ...override, confirmedBy: override.confirmedBy };
}

/** An override is good for one step: the event that used it closes it. */
export async function markOverrideUsed(
  trx: Knex.Transaction,
  overrideId: number,
  eventId: number,
): Promise<void> {
  await trx('segregation_overrides').where({ id: overrideId }).update({ used_event_id: eventId });
}

/** Overrides awaiting a second person in these departments, for their confirmation screen. */
export async function overridesAwaitingConfirmation(
  db: Knex,
  departmentIds: readonly number[],
): Promise<(PendingOverride & { opportunityId: number; departmentId: number })[]> {
  const rows: (OverrideRow & { opportunity_id: string | number; department_id: number })[] =
    await open(db('segregation_overrides').whereIn('department_id', departmentIds))
      .whereNull('confirmed_by')
      .orderBy('proposed_at');
  return rows.map((r) => ({
    ...toOverride(r),
    opportunityId: Number(r.opportunity_id),
    departmentId: r.department_id,
  }));
}

/** Where an override stands: awaiting its second person, confirmed, used by its step, or replaced. */
export type OverrideState = 'awaiting' | 'confirmed' | 'used' | 'withdrawn';

/** One override, whatever its state, for the screen that shows it. */
export async function findOverride(
  trx: Knex.Transaction,
  overrideId: number,
): Promise<
  | (PendingOverride & { opportunityId: number; departmentId: number; state: OverrideState })
  | undefined
> {
  const found:
    | (OverrideRow & {
        opportunity_id: string | number;
        department_id: number;
        used_event_id: string | number | null;
        withdrawn_at: Date | null;
      })
    | undefined = await trx('segregation_overrides').where({ id: overrideId }).first();
  if (!found) return undefined;
  const state: OverrideState =
    found.used_event_id !== null
      ? 'used'
      : found.withdrawn_at !== null
        ? 'withdrawn'
        : found.confirmed_by !== null
          ? 'confirmed'
          : 'awaiting';
  return {
    ...toOverride(found),
    opportunityId: Number(found.opportunity_id),
    departmentId: found.department_id,
    state,
  };
}

/**
 * Where this person stands on a step before they take it, for the page that offers it: no
 * conflict, a conflict nothing lifts, or conflicts an override lifts — with their open override
 * (awaiting confirmation, or confirmed and unused) if they asked for one.
 */
export type StepStanding =
  | { kind: 'clear' }
  | { kind: 'barred'; conflicts: Conflict[] }
  | { kind: 'overridable'; conflicts: Conflict[]; override: PendingOverride | undefined };

export async function stepStanding<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  row: Row,
  action: Action,
  actor: Pick<CurrentUser, 'id'>,
): Promise<StepStanding> {
  const def: TransitionDef<Row, string> = machine.transitions[action];
  if (!def.duty) return { kind: 'clear' };
  const supplier = machine.supplierOf?.(row) ?? null;
  const duties = checkDuties({
    history: await dutiesPerformed(trx, fileOf(machine, row)),
    actorId: actor.id,
    duty: def.duty,
    beneficiaryIds: supplier === null ? [] : [supplier],
  });
  if (duties.allowed) return { kind: 'clear' };
  const { conflicts } = duties;
  if (!conflicts.every(isOverridable)) return { kind: 'barred', conflicts };
  const found: OverrideRow | undefined = await open(
    trx('segregation_overrides').where({
      entity_type: machine.entity,
      entity_id: row.id,
      action,
      actor_id: actor.id,
    }),
  ).first();
  return { kind: 'overridable', conflicts, override: found ? toOverride(found) : undefined };
}
