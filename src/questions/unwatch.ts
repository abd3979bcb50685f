import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import { languages } from '../platform/i18n.ts';
import type { SendCheck, SendChecks } from '../platform/mail/delivery.ts';
import { url } from '../platform/routes.ts';

/** The link's token: 32 random bytes in base64url, as the mailing list's. */
export const unwatchToken = z.string().regex(/^[\w-]{43}$/);

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

interface Watcher {
  opportunity_id: number;
  user_id: number;
}

/** The watcher this email goes to, if the recipient still watches the opportunity it is about. */
function watcherOf(trx: Knex.Transaction, recipient: string, reference: unknown) {
  return trx('watchers as w')
    .join('opportunities as o', 'o.id', 'w.opportunity_id')
    .join('users as u', 'u.id', 'w.user_id')
    .where('o.reference', String(reference))
    .whereRaw('lower(u.email) = lower(?)', [recipient])
    .first<Watcher | undefined>('w.opportunity_id', 'w.user_id');
}

/** Whether the recipient has a draft or submitted application (an addendum is theirs too). */
async function isApplicant(trx: Knex.Transaction, recipient: string, reference: unknown) {
  const row = await trx('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .join('users as u', 'u.id', 'a.supplier_id')
    .where('o.reference', String(reference))
    .whereIn('a.status', ['draft', 'submitted'])
    .whereRaw('lower(u.email) = lower(?)', [recipient])
    .first('a.id');
  return row !== undefined;
}

async function issueUnwatchToken(trx: Knex.Transaction, watcher: Watcher, now: Date) {
  const token = randomBytes(32).toString('base64url');
  await trx('unwatch_tokens').insert({ ...watcher, token_hash: sha256(token), created_at: now });
  return token;
}

/**
 * What the outbox asks before it sends a watcher's email (the mailing list's mechanism, in
 * src/subscriptions/sending.ts): a watcher gets an unwatch link made for this email alone, which
 * works without signing in; someone who stopped watching since it was queued gets nothing —
 * except an addendum, which also goes to those with an application, without the link.
 */
export function watchingChecks(deps: { clock: Clock; publicUrl: string }): SendChecks {
  const check =
    (alsoApplicants: boolean): SendCheck =>
    async (trx, email) => {
      const reference = email.data.reference;
      const watcher = await watcherOf(trx, email.recipient, reference);
      if (!watcher) {
        return alsoApplicants && (await isApplicant(trx, email.recipient, reference))
          ? { send: true }
          : { send: false, reason: 'no longer watching' };
      }
      const token = await issueUnwatchToken(trx, watcher, deps.clock.now());
      const unwatchLinks = Object.fromEntries(
        languages.map((lang) => [lang, `${deps.publicUrl}${url('unwatch', { token }, lang)}`]),
      );
      return { send: true, data: { unwatchLinks } };
    };
  return {
    'addendum-published': check(true),
    'answer-published': check(false),
    'watch-closing-reminder': check(false),
  };
}

/**
 * Stops the watching a link names, at once; deleting the watcher row deletes its every token.
 * Any token gets the same answer, so nothing tells whether it named anyone.
 */
export async function unwatchByToken(db: Db, token: string): Promise<void> {
  await db.transaction(async (trx) => {
    const row: Watcher | undefined = await trx('unwatch_tokens')
      .where({ token_hash: sha256(token) })
      .first('opportunity_id', 'user_id');
    if (row) await trx('watchers').where(row).delete();
  });
}
