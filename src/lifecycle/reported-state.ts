import type { Knex } from 'knex';
import { recordEvent } from './events.ts';

/**
 * A state another system reports about one of our records (PayPal's payout item and batch
 * states), kept in a column of the record's table. It is PayPal's to decide, so there is no
 * machine, role or version to check; but each change is written here, with its event (from →
 * to, the system acting), in the caller's transaction, so the audit log and the file's history
 * show it. The same state reported again writes nothing.
 */
export interface ReportedState {
  /** The table and the row (by its key column) holding the state. */
  table: string;
  key: { column: string; value: number };
  column: string;
  /** The event's entity and action, e.g. paypal_payout / payout_item_status. */
  entityType: string;
  entityId: number;
  action: string;
  opportunityId: number;
  departmentId: number;
  to: string;
  now: Date;
  payload?: Record<string, unknown>;
}

/** Records a reported state; whether it changed. */
export async function recordReportedState(
  trx: Knex.Transaction,
  change: ReportedState,
): Promise<boolean> {
  const row: Record<string, string | null> | undefined = await trx(change.table)
    .where(change.key.column, change.key.value)
    .forUpdate()
    .first(change.column);
  if (!row) throw new Error(`${change.table} ${change.key.value} not found`);
  const from = row[change.column] ?? null;
  if (from === change.to) return false;
  await trx(change.table)
    .where(change.key.column, change.key.value)
    .update({ [change.column]: change.to });
  await recordEvent(trx, {
    entityType: change.entityType,
    entityId: change.entityId,
    opportunityId: change.opportunityId,
    departmentId: change.departmentId,
    action: change.action,
    from,
    to: change.to,
    actorId: null,
    at: change.now,
    ...(change.payload && { payload: change.payload }),
  });
  return true;
}
