import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import type { Logger } from '../platform/logger.ts';

const DELETE_EXPIRED_SIGN_UPS = 'delete-expired-sign-ups';

/**
 * A sign-up expires with its confirmation link (48 hours): a supplier account whose address was
 * never confirmed and which has no confirmation link left that works. Deleting it frees the
 * address, so nobody can hold someone else's address by signing up with it (H1); the real owner
 * can sign up again. Such an account never signed in (sign-in needs a confirmed address), so it
 * has nothing else to lose.
 */
function expiredSignUps(db: Db | Knex.Transaction, now: Date) {
  return db('users as u')
    .where('u.kind', 'supplier')
    .whereNull('u.email_confirmed_at')
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from('account_tokens as c')
        .whereRaw('c.user_id = u.id')
        .andWhere('c.purpose', 'confirm_email'),
    )
    .whereNotExists((q) =>
      q
        .select(db.raw('1'))
        .from('account_tokens as c')
        .whereRaw('c.user_id = u.id')
        .andWhere('c.purpose', 'confirm_email')
        .andWhere('c.expires_at', '>', now),
    )
    .select('u.id');
}

/** Deletes the expired sign-ups (of one address only, when given); returns how many. */
export async function deleteExpiredSignUps(
  db: Db | Knex.Transaction,
  now: Date,
  email?: string,
): Promise<number> {
  const expired = expiredSignUps(db, now);
  if (email !== undefined) expired.whereRaw('lower(u.email) = lower(?)', [email.trim()]);
  // The profile and the links go with the account (ON DELETE CASCADE).
  return db('users').whereIn('id', expired).delete();
}

/** The expiry's part of the job runner: a sweep every hour. */
export function signUpExpiryJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  const { db, clock, logger } = deps;
  return {
    tasks: {
      [DELETE_EXPIRED_SIGN_UPS]: async () => {
        const deleted = await deleteExpiredSignUps(db, clock.now());
        if (deleted > 0) logger.info({ deleted }, 'sign-ups never confirmed deleted');
      },
    },
    schedule: { [DELETE_EXPIRED_SIGN_UPS]: '0 * * * *' },
  };
}
