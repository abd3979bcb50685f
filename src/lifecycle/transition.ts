import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { mayAct } from './access.ts';
import { dutiesPerformed, recordEvent } from './events.ts';
import { fileOf, type Machine, type StatefulRow, type TransitionDef } from './machine.ts';
import { confirmedOverrideFor, markOverrideUsed } from './overrides.ts';
import { TransitionError, type TransitionFailure } from './refusal.ts';
import { canOverride, checkDuties } from './segregation.ts';

async function runGuards<Row>(
  guards: TransitionDef<Row, string>['guards'],
  ctx: { trx: Knex.Transaction; record: Row; actor: CurrentUser | null; now: Date },
): Promise<void> {
  for (const guard of guards ?? []) {
    const failure = await guard(ctx);
    if (failure) throw new TransitionError({ kind: 'guard', failure });
  }
}

export interface TransitionInput<Action extends string> {
  id: number;
  action: Action;
  /** null for the system (e.g. the closing job). */
  actor: CurrentUser | null;
  /** The version the person saw: a second click, or someone else's change, makes it stale. */
  expectedVersion: number;
  /** The request's one clock reading. */
  now: Date;
  reason?: string;
  /** The language of the page the reason was typed on (WCAG 3.1.2, Language of Parts). */
  reasonLang?: Lang;
  payload?: Record<string, unknown>;
}

/**
 * THE choke point: every change of a lifecycle record's status goes through here, in the
 * caller's transaction — the actor's role in the record's department, segregation of duties
 * over the whole file (every entity of the opportunity), guards, an optimistic lock on
 * `version`, one appended event. Emails and jobs are queued by the caller in the same
 * transaction, after this returns.
 */
export async function transition<Row extends StatefulRow, Action extends string>(
  trx: Knex.Transaction,
  machine: Machine<Row, string, Action>,
  input: TransitionInput<Action>,
): Promise<{ from: string; to: string; version: number; eventId: number }> {
  const def: TransitionDef<Row, string> = machine.transitions[input.action];
  const row: Row | undefined = await trx(machine.table).where({ id: input.id }).first();
  if (!row) throw new TransitionError({ kind: 'not_found' });
  const { actor, now } = input;
  if (!mayAct(machine, def.roles, row, actor)) throw new TransitionError({ kind: 'forbidden' });
  if (row.version !== input.expectedVersion) throw new TransitionError({ kind: 'stale' });
  if (!def.from.includes(row.status)) {
    throw new TransitionError({ kind: 'wrong_state', status: row.status });
  }
  const reason = input.reason?.trim() || null;
  if (def.needsReason && !reason) throw new TransitionError({ kind: 'reason_required' });

  const opportunityId = machine.opportunityOf(row);
  const departmentId = machine.departmentOf(row);
  const payload: Record<string, unknown> = { ...input.payload };
  let overrideId: number | undefined;
  if (def.duty && actor) {
    const check = {
      history: await dutiesPerformed(trx, fileOf(machine, row)),
      actorId: actor.id,
      duty: def.duty,
      beneficiaryIds: [machine.supplierOf?.(row) ?? null].filter((id) => id !== null),
    };
    const duties = checkDuties(check);
    if (!duties.allowed) {
      const override = await confirmedOverrideFor(trx, {
        entityType: machine.entity,
        entityId: row.id,
        action: input.action,
        actorId: actor.id,
      });
      if (!override)
        throw new TransitionError({ kind: 'segregation', conflicts: duties.conflicts });
      const decision = canOverride(check, override);
      if (!decision.accepted) {
        throw new TransitionError({
          kind: 'segregation',
          conflicts: duties.conflicts,
          refusal: decision.refusal,
        });
      }
      overrideId = override.id;
      payload.override = {
        proposedBy: override.proposedBy,
        confirmedBy: override.confirmedBy,
        reason: override.reason,
        conflicts: decision.overridden,
      };
    }
  }

  const notThisPerson = def.who?.(row, actor);
  if (notThisPerson) throw new TransitionError({ kind: 'guard', failure: notThisPerson });
  await runGuards(def.guards, { trx, record: row, actor, now });

  const updated = await trx(machine.table)
    .where({ id: row.id, version: row.version })
    .update({ status: def.to, version: row.version + 1, updated_at: now });
  if (updated !== 1) throw new TransitionError({ kind: 'stale' });
  const eventId = await recordEvent(trx, {
    entityType: machine.entity,
    entityId: row.id,
    opportunityId,
    departmentId,
    action: input.action,
    from: row.status,
    to: def.to,
    actorId: actor?.id ?? null,
    duty: actor ? (def.duty ?? null) : null,
    at: now,
    reason,
    reasonLang: input.reasonLang,
    payload,
  });
  if (overrideId !== undefined) await markOverrideUsed(trx, overrideId, eventId);
  return { from: row.status, to: def.to, version: row.version + 1, eventId };
}

/**
 * Inserts a record in its machine's first state and records its creation event: the only way a
 * stateful row comes to exist. `values` are its columns without status and version.
 */
export async function create<Row extends StatefulRow>(
  trx: Knex.Transaction,
  machine: Machine<Row>,
  input: {
    values: Record<string, unknown>;
    actor: CurrentUser | null;
    now: Date;
    /** The creation event's action; `create` unless the domain names it (`offer`, `invoice`). */
    action?: string;
    payload?: Record<string, unknown>;
  },
): Promise<{ id: number; eventId: number }> {
  const draft = { ...input.values, id: 0, status: machine.initial, version: 1 } as unknown as Row;
  if (!mayAct(machine, machine.creation.roles, draft, input.actor)) {
    throw new TransitionError({ kind: 'forbidden' });
  }
  await runGuards(machine.creation.guards, {
    trx,
    record: draft,
    actor: input.actor,
    now: input.now,
  });
  const [inserted] = await trx(machine.table)
    .insert({
      created_at: input.now,
      updated_at: input.now,
      ...input.values,
      status: machine.initial,
      version: 1,
    })
    .returning('*');
  const row = inserted as Row;
  const eventId = await recordEvent(trx, {
    entityType: machine.entity,
    entityId: Number(row.id),
    opportunityId: machine.opportunityOf(row),
    departmentId: machine.departmentOf(row),
    action: input.action ?? 'create',
    from: null,
    to: machine.initial,
    actorId: input.actor?.id ?? null,
    at: input.now,
    payload: input.payload,
  });
  return { id: Number(row.id), eventId };
}

export type StepOutcome<T = unknown> =
  { ok: true; value: T } | { ok: false; failure: TransitionFailure };

/**
 * THE transaction wrapper for one person's action: a refused step rolls back everything the
 * action wrote and comes back as its failure, for the route to show.
 */
export async function inOneTransaction<T>(
  db: Knex,
  run: (trx: Knex.Transaction) => Promise<T>,
): Promise<StepOutcome<T>> {
  try {
    return { ok: true, value: await db.transaction(run) };
  } catch (error) {
    if (error instanceof TransitionError) return { ok: false, failure: error.failure };
    throw error;
  }
}

export { TransitionError, type TransitionFailure } from './refusal.ts';
