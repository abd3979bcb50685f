import type { Knex } from 'knex';

/**
 * Appends an event to the audit log, the source of the cycle-time metrics: every transition
 * (through transition()) and every step that does not change a status (translation requested,
 * a question answered, an addendum, funds released…).
 */
export async function recordEvent(
  trx: Knex.Transaction,
  event: {
    opportunityId: number;
    action: string;
    /** For a change of status (transition() only). */
    from?: string;
    to?: string;
    actorId: number | null;
    at: Date;
    reason?: string | null;
    payload?: Record<string, unknown>;
  },
): Promise<number> {
  const [row] = await trx('events')
    .insert({
      entity_type: 'opportunity',
      entity_id: event.opportunityId,
      from_state: event.from ?? null,
      to_state: event.to ?? null,
      action: event.action,
      actor_id: event.actorId,
      reason: event.reason ?? null,
      payload: JSON.stringify(event.payload ?? {}),
      at: event.at,
    })
    .returning('id');
  return row.id;
}
