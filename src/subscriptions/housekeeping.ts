import type { Db } from '../db/knex.ts';
import type { Sweep } from '../platform/housekeeping.ts';

/**
 * The mailing list's part of housekeeping. Anyone can type any address into the form, so an
 * address never confirmed is not kept once its links have all expired: its row and links go (it
 * has no consent to prove). Confirmation links used or expired go too; the consent record keeps
 * what they proved. Unsubscribe links stay: an old email's link must keep working.
 */
export function unconfirmedSubscriberSweep(db: Db): Sweep {
  return {
    name: 'unconfirmedSubscribers',
    run: (now) =>
      db.transaction(async (trx): Promise<number> => {
        const gone = trx('subscribers as s')
          .whereNull('s.confirmed_at')
          .whereNotExists((q) =>
            q.select(1).from('subscription_consents as c').whereRaw('c.subscriber_id = s.id'),
          )
          .whereNotExists((q) =>
            q
              .select(1)
              .from('subscription_tokens as t')
              .whereRaw('t.subscriber_id = s.id')
              .andWhere('t.purpose', 'confirm')
              .whereNull('t.used_at')
              .andWhere('t.expires_at', '>', now),
          )
          .select('s.id');
        const ids = (await gone.forUpdate()).map((row: { id: number }) => row.id);
        await trx('subscription_tokens')
          .where('purpose', 'confirm')
          .andWhere((q) => q.whereNotNull('used_at').orWhere('expires_at', '<=', now))
          .delete();
        if (ids.length === 0) return 0;
        await trx('subscription_tokens').whereIn('subscriber_id', ids).delete();
        return Number(await trx('subscribers').whereIn('id', ids).delete());
      }),
  };
}
