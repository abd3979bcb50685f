import type { Db } from '../db/knex.ts';
import type { Sweep } from '../platform/housekeeping.ts';

/** A day: far longer than any window the sign-in checks count failures over (minutes). */
const SIGN_IN_FAILURES_KEPT_MS = 24 * 60 * 60 * 1000;

/** The accounts' part of housekeeping: failed sign-ins too old to count for anything. */
export function signInFailureSweep(db: Db): Sweep {
  return {
    name: 'signInFailures',
    run: (now) =>
      db('sign_in_failures')
        .where('at', '<', new Date(now.getTime() - SIGN_IN_FAILURES_KEPT_MS))
        .delete(),
  };
}
