import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import { hasRole } from '../platform/auth.ts';
import type { Clock } from '../platform/clock.ts';
import { recordEvent } from './events.ts';
import type { GuardFailure, OpportunityRow } from './guards.ts';
import {
  canOverride,
  checkDuties,
  type Conflict,
  type OverrideRefusal,
  type PerformedDuty,
} from './segregation.ts';
import {
  opportunityTransitions,
  type OpportunityAction,
  type TransitionDef,
} from './transitions.ts';

export type TransitionFailure =
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'wrong_state'; status: string }
  | { kind: 'stale' }
  | { kind: 'reason_required' }
  | { kind: 'guard'; failure: GuardFailure }
  | { kind: 'segregation'; conflicts: Conflict[]; refusal?: OverrideRefusal };

/** A refused transition; routes turn `failure` into a bilingual message. Nothing was written. */
export class TransitionError extends Error {
  constructor(readonly failure: TransitionFailure) {
    super(`transition refused: ${failure.kind}`);
  }
}

export interface TransitionInput {
  opportunityId: number;
  action: OpportunityAction;
  /** null for the system (e.g. the closing job). */
  actor: CurrentUser | null;
  /** The version the person saw: a second click, or someone else's change, makes it stale. */
  expectedVersion: number;
  reason?: string;
  payload?: Record<string, unknown>;
  override?: { confirmedBy: number; reason: string };
}

/** What FAA duty each past event was, from the table, so old events need no extra column. */
function dutyOf(action: string): PerformedDuty['duty'] | undefined {
  return (opportunityTransitions as Record<string, TransitionDef>)[action]?.duty;
}

/**
 * THE choke point: every change of an opportunity's status goes through here, in the caller's
 * transaction — role in the record's department, segregation of duties, guards, an optimistic
 * lock on `version`, one appended event. Emails and jobs are queued by the caller in the same
 * transaction, after this returns.
 */
export async function transition(
  trx: Knex.Transaction,
  clock: Clock,
  input: TransitionInput,
): Promise<{ from: string; to: string; version: number; eventId: number }> {
  const def: TransitionDef = opportunityTransitions[input.action];
  const opportunity: OpportunityRow | undefined = await trx('opportunities')
    .where({ id: input.opportunityId })
    .first();
  if (!opportunity) throw new TransitionError({ kind: 'not_found' });
  const { actor } = input;
  if (actor && !hasRole(actor, def.roles, opportunity.department_id)) {
    throw new TransitionError({ kind: 'forbidden' });
  }
  if (!actor && def.roles.length > 0) throw new TransitionError({ kind: 'forbidden' });
  if (opportunity.version !== input.expectedVersion) throw new TransitionError({ kind: 'stale' });
  if (!def.from.includes(opportunity.status as never)) {
    throw new TransitionError({ kind: 'wrong_state', status: opportunity.status });
  }
  if (def.needsReason && !input.reason?.trim())
    throw new TransitionError({ kind: 'reason_required' });

  const payload: Record<string, unknown> = { ...input.payload };
  if (def.duty && actor) {
    const history: PerformedDuty[] = (
      await trx('events')
        .where({ entity_type: 'opportunity', entity_id: opportunity.id })
        .whereNotNull('actor_id')
        .select('action', 'actor_id')
    ).flatMap((e: { action: string; actor_id: number }) => {
      const duty = dutyOf(e.action);
      return duty ? [{ duty, actorId: Number(e.actor_id) }] : [];
    });
    const check = { history, actorId: actor.id, duty: def.duty };
    const duties = checkDuties(check);
    if (!duties.allowed) {
      if (!input.override)
        throw new TransitionError({ kind: 'segregation', conflicts: duties.conflicts });
      const decision = canOverride(check, input.override);
      if (!decision.accepted) {
        throw new TransitionError({
          kind: 'segregation',
          conflicts: duties.conflicts,
          refusal: decision.refusal,
        });
      }
      payload.override = { ...input.override, conflicts: decision.overridden };
    }
  }

  for (const guard of def.guards ?? []) {
    const failure = await guard({ trx, opportunity, actor, now: clock.now() });
    if (failure) throw new TransitionError({ kind: 'guard', failure });
  }

  const now = clock.now();
  const updated = await trx('opportunities')
    .where({ id: opportunity.id, version: opportunity.version })
    .update({ status: def.to, version: opportunity.version + 1, updated_at: now });
  if (updated !== 1) throw new TransitionError({ kind: 'stale' });
  const eventId = await recordEvent(trx, {
    opportunityId: opportunity.id,
    action: input.action,
    from: opportunity.status,
    to: def.to,
    actorId: actor?.id ?? null,
    at: now,
    reason: input.reason?.trim() || null,
    payload,
  });
  return { from: opportunity.status, to: def.to, version: opportunity.version + 1, eventId };
}

export type StepOutcome = { ok: true } | { ok: false; failure: TransitionFailure };

/**
 * One person's action in one transaction: a refused transition rolls back everything the action
 * wrote and comes back as its failure, for the route to show.
 */
export async function inOneTransaction(
  db: Knex,
  run: (trx: Knex.Transaction) => Promise<unknown>,
): Promise<StepOutcome> {
  try {
    await db.transaction(run);
    return { ok: true };
  } catch (error) {
    if (error instanceof TransitionError) return { ok: false, failure: error.failure };
    throw error;
  }
}
