import type { Knex } from 'knex';
import type { Db } from '../../db/knex.ts';
import { scheduleDelivery, type OutboxRow } from './outbox.ts';

/** How many failed messages the screen lists at once, newest failure first. */
export const FAILED_SHOWN = 200;

export type FailedEmail = Pick<
  OutboxRow,
  'id' | 'template' | 'recipient' | 'attempts' | 'last_error' | 'created_at' | 'next_attempt_at'
>;

export async function failedEmails(db: Db): Promise<{ rows: FailedEmail[]; total: number }> {
  const rows: FailedEmail[] = await db('outbox')
    .where({ status: 'failed' })
    .orderBy([
      { column: 'next_attempt_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(FAILED_SHOWN)
    .select(
      'id',
      'template',
      'recipient',
      'attempts',
      'last_error',
      'created_at',
      'next_attempt_at',
    );
  const [count] = await db('outbox').where({ status: 'failed' }).count<{ n: string }[]>('* as n');
  return { rows, total: Number(count?.n ?? 0) };
}

/**
 * An address as the screen shows it: enough to tell messages apart and recognize a known
 * person's, not the whole address of every recipient to whoever reads the list.
 */
export function maskedAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  const local = address.slice(0, at);
  return `${local[0]}${'•'.repeat(Math.min(Math.max(local.length - 1, 3), 8))}${address.slice(at)}`;
}

/**
 * Puts failed messages back in the queue with a fresh set of attempts and a job each; the
 * worker then sends them as any other (the feature's send check still decides, so an
 * announcement to someone who left the list is withdrawn, not sent). Only rows still failed
 * are taken, locked, so two clicks never queue one message twice. Returns how many.
 */
export async function retryFailedEmails(
  db: Db,
  now: Date,
  which: { id: number } | 'all',
): Promise<number> {
  return db.transaction(async (trx: Knex.Transaction) => {
    const query = trx('outbox').where({ status: 'failed' });
    if (which !== 'all') query.andWhere({ id: which.id });
    const ids: { id: number }[] = await query.forUpdate().select('id');
    if (ids.length === 0) return 0;
    await trx('outbox')
      .whereIn(
        'id',
        ids.map((row) => row.id),
      )
      .update({ status: 'pending', attempts: 0, next_attempt_at: now });
    for (const { id } of ids) await scheduleDelivery(trx, id, now);
    return ids.length;
  });
}
