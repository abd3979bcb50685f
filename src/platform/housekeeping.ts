import type { Db } from '../db/knex.ts';
import type { Clock } from './clock.ts';
import type { JobDefinitions } from './jobs.ts';
import type { Logger } from './logger.ts';
import { deleteExpiredRateLimits } from './rate-limit-store.ts';
import { deleteExpiredSessions } from './session-store.ts';

/** One kind of dead row and how to delete it, as of an instant; returns how many went. */
export interface Sweep {
  name: string;
  run(now: Date): Promise<number>;
}

export const HOUSEKEEPING = 'housekeeping';

/**
 * Rows that only ever grow unless something deletes them: expired sessions and rate-limit
 * windows (the platform's), and whatever the features add to `sweeps`. The queue's cron runs it
 * every quarter of an hour, in one process at a time.
 */
export function housekeepingJobs(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  sweeps?: readonly Sweep[];
}): JobDefinitions {
  const { db, clock, logger } = deps;
  const sweeps: readonly Sweep[] = [
    { name: 'sessions', run: (now) => deleteExpiredSessions(db, now) },
    { name: 'rateLimits', run: (now) => deleteExpiredRateLimits(db, { now: () => now }) },
    ...(deps.sweeps ?? []),
  ];
  return {
    tasks: {
      [HOUSEKEEPING]: async () => {
        const now = clock.now();
        const deleted: Record<string, number> = {};
        for (const sweep of sweeps) deleted[sweep.name] = await sweep.run(now);
        if (Object.values(deleted).some((count) => count > 0)) {
          logger.info({ deleted }, 'housekeeping: expired rows deleted');
        }
      },
    },
    schedule: { [HOUSEKEEPING]: '*/15 * * * *' },
  };
}
