import type { Knex } from 'knex';
import type { Lang } from '../platform/i18n.ts';
import type { Duty } from './segregation.ts';

export interface EventRecord {
  /** A lifecycle entity (opportunity, application, contract, invoice, payment) or an audited one. */
  entityType: string;
  entityId: number;
  /** The file the event belongs to; required for every lifecycle entity (the database checks). */
  opportunityId: number | null;
  departmentId: number | null;
  action: string;
  /** For a change of status (transition() and create() only). */
  from?: string | null;
  to?: string | null;
  /** null when the system acted (the closing job). */
  actorId: number | null;
  /** The FAA duty the actor performed, read back by segregation of duties. */
  duty?: Duty | null;
  at: Date;
  reason?: string | null;
  /** The language the person wrote the reason in (the page's); unknown for older events. */
  reasonLang?: Lang | null;
  payload?: Record<string, unknown>;
}

/**
 * THE event writer: the audit log and the source of the cycle-time metrics. Every transition,
 * every creation of a stateful record, and every step that changes no status (translation
 * requested, a question answered, an addendum, funds released, a role granted…) is one row.
 */
export async function recordEvent(trx: Knex.Transaction, event: EventRecord): Promise<number> {
  const [row] = await trx('events')
    .insert({
      entity_type: event.entityType,
      entity_id: event.entityId,
      opportunity_id: event.opportunityId,
      department_id: event.departmentId,
      from_state: event.from ?? null,
      to_state: event.to ?? null,
      action: event.action,
      actor_id: event.actorId,
      duty: event.duty ?? null,
      reason: event.reason ?? null,
      reason_lang: event.reason ? (event.reasonLang ?? null) : null,
      payload: JSON.stringify(event.payload ?? {}),
      at: event.at,
    })
    .returning('id');
  return Number(row.id);
}

/** An event about an opportunity itself that changes no status (an addendum, an answer…). */
export async function recordOpportunityEvent(
  trx: Knex.Transaction,
  event: Omit<EventRecord, 'entityType' | 'entityId' | 'opportunityId' | 'departmentId'> & {
    opportunityId: number;
  },
): Promise<number> {
  const file = await trx('opportunities')
    .where({ id: event.opportunityId })
    .first<{ department_id: number } | undefined>('department_id');
  if (!file) throw new Error(`opportunity ${event.opportunityId} not found`);
  return recordEvent(trx, {
    ...event,
    entityType: 'opportunity',
    entityId: event.opportunityId,
    departmentId: file.department_id,
  });
}

/** Who performed which FAA duty anywhere in the file: every entity of the opportunity. */
export async function dutiesPerformed(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<{ duty: Duty; actorId: number }[]> {
  const rows: { duty: Duty; actor_id: string | number }[] = await trx('events')
    .where({ opportunity_id: opportunityId })
    .whereNotNull('duty')
    .select('duty', 'actor_id');
  return rows.map((r) => ({ duty: r.duty, actorId: Number(r.actor_id) }));
}
