import type { Knex } from 'knex';
import type { EmailTemplate } from '../platform/mail/outbox.ts';

/**
 * Anyone can type someone else's address into the sign-up and forgot-password forms, so the
 * emails those forms send are limited per recipient, whatever address the requests come from:
 * at most 3 in any hour for one address and one template (L4).
 */
const PER_RECIPIENT = 3;
const WINDOW_MS = 60 * 60 * 1000;

/**
 * Whether `to` may receive one more `template` email now. Asked in the transaction that then
 * queues it: the advisory lock, held until that transaction ends, makes the count and the insert
 * one step for that address and template, so parallel requests cannot all see room for one more.
 * The caller's page says the same either way.
 */
export async function recipientHasRoom(
  trx: Knex.Transaction,
  template: EmailTemplate,
  to: string,
  now: Date,
): Promise<boolean> {
  const recipient = to.trim().toLowerCase();
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [
    `account-email:${template}:${recipient}`,
  ]);
  const row = await trx('outbox')
    .whereRaw('lower(recipient) = ?', [recipient])
    .andWhere('template', template)
    .andWhere('created_at', '>', new Date(now.getTime() - WINDOW_MS))
    .count<{ n: string }>({ n: '*' })
    .first();
  return Number(row?.n ?? 0) < PER_RECIPIENT;
}
