import type { Db } from '../db/knex.ts';

/**
 * Password guesses against one address slow down instead of locking the account (L1): anyone
 * can type someone else's address, so a lock would be theirs to use against the owner. The first
 * five failures cost nothing; after that, each attempt waits 1, 2, 4… seconds after the last
 * failure, at most five minutes. The owner's right password works as soon as the wait is over,
 * and clears the count. Guesses from many addresses at once are limited per IP as well (the
 * sign-in route's limit).
 */
const FREE_FAILURES = 5;
const LONGEST_WAIT_SECONDS = 5 * 60;
/** Failures older than this no longer slow anyone down. */
const SIGN_IN_FAILURE_WINDOW_MS = 60 * 60 * 1000;

const waitAfter = (failures: number) =>
  failures < FREE_FAILURES
    ? 0
    : Math.min(2 ** (failures - FREE_FAILURES), LONGEST_WAIT_SECONDS) * 1000;

export type SignInAttempt = { allowed: true } | { allowed: false; waitSeconds: number };

/**
 * Takes one attempt for an address, if its wait is over. The attempt is recorded as a failure
 * before the password is checked, and a right password clears the record: under the advisory
 * lock on the address, the count, the decision and the record are one step, so twenty guesses
 * sent at once cannot all see room for one more.
 */
export function takeSignInAttempt(db: Db, emailKey: string, now: Date): Promise<SignInAttempt> {
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`sign-in:${emailKey}`]);
    const recent = (await trx('sign_in_failures')
      .where({ email_key: emailKey })
      .andWhere('at', '>', new Date(now.getTime() - SIGN_IN_FAILURE_WINDOW_MS))
      .first(trx.raw('count(*)::int as failures'), trx.raw('max(at) as last'))) as {
      failures: number;
      last: Date | null;
    };
    const readyAt = (recent.last?.getTime() ?? 0) + waitAfter(recent.failures);
    if (now.getTime() < readyAt) {
      return { allowed: false, waitSeconds: Math.ceil((readyAt - now.getTime()) / 1000) };
    }
    await trx('sign_in_failures').insert({ email_key: emailKey, at: now });
    return { allowed: true };
  });
}
