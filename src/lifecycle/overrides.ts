import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import { dutiesPerformed, recordEvent } from './events.ts';
import type { Machine, StatefulRow, TransitionDef } from './machine.ts';
import {
  canOverride,
  checkDuties,
  isOverridable,
  MIN_OVERRIDE_REASON_LENGTH,
  type DutyCheckInput,
} from './segregation.ts';
import { mayAct } from './access.ts';
import { TransitionError } from './refusal.ts';

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
  confirmedBy: number | null;
}

interface OverrideRow {
  id: string | number;
  entity_type: string;
  entity_id: string | number;
  action: string;
  actor_id: string | number;
  proposed_by: string | number;
  reason: string;
  confirmed_by: string | number | null;
}

const toOverride = (r: OverrideRow): PendingOverride => ({
  id: Number(r.id),
  entityType: r.entity_type,
  entityId: Number(r.entity_id),
  action: r.action,
  actorId: Number(r.actor_id),
  proposedBy: Number(r.proposed_by),
  reason: r.reason,
  confirmedBy: r.confirmed_by === null ? null : Number(r.confirmed_by),
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
      history: await dutiesPerformed(trx, machine.opportunityOf(row)),
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
  input: { id: number; action: Action; actor: CurrentUser; reason: string; now: Date },
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
      opportunity_id: machine.opportunityOf(row),
      department_id: machine.departmentOf(row),
      entity_type: machine.entity,
      entity_id: row.id,
      action: input.action,
      actor_id: input.actor.id,
      proposed_by: input.actor.id,
      reason,
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
    payload: { overrideId, step: input.action, conflicts },
  });
  return overrideId;
}

/**
 * A second person confirms: they hold the step's role in the record's department and are
 * independent of every duty in conflict (canOverride decides, from the same history).
 */
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
  const { row, def, check } = await loadStep(
    trx,
    machine,
    override.entityId,
    override.action as Action,
    override.actorId,
  );
  if (!mayAct(machine, def.roles, row, input.confirmer)) {
    throw new TransitionError({ kind: 'forbidden' });
  }
  const decision = canOverride(check, { confirmedBy: input.confirmer.id, reason: override.reason });
  const proposerConfirms = input.confirmer.id === override.proposedBy;
  if (!decision.accepted || proposerConfirms) {
    const refusal = decision.accepted ? 'confirmer_is_actor' : decision.refusal;
    throw new TransitionError({ kind: 'segregation', conflicts: [], refusal });
  }
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
    payload: {
      overrideId: override.id,
      step: override.action,
      proposedBy: override.proposedBy,
      confirmedBy: input.confirmer.id,
      conflicts: decision.overridden,
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
