import type { Knex } from 'knex';

/**
 * Appends an event that does not change a status (translation requested, a question answered,
 * an addendum, funds released…): the same audit log and cycle-time source as transitions.
 */
export async function recordEvent(
  trx: Knex.Transaction,
  event: {
    opportunityId: number;
    action: string;
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
      action: event.action,
      actor_id: event.actorId,
      reason: event.reason ?? null,
      payload: JSON.stringify(event.payload ?? {}),
      at: event.at,
    })
    .returning('id');
  return row.id;
}
