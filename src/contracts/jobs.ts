import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import { easternDate } from '../platform/dates.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import { alertIfMidpointMissed } from './check-in.ts';
import { CONTRACT_MIDPOINT } from './schedule.ts';

const MISSED_MIDPOINTS = 'contract-missed-midpoints';

/**
 * Contracts under way whose midpoint's day is over, each looked at in its own transaction: one
 * that fails is logged and does not hold the others. Returns how many alerts were sent.
 */
export async function alertMissedMidpoints(
  db: Db,
  clock: Clock,
  logger?: Pick<Logger, 'error'>,
): Promise<number> {
  const due: { id: number }[] = await db('contracts')
    .where('status', 'in_progress')
    .whereNotNull('midpoint_on')
    .andWhere('midpoint_on', '<', easternDate(clock.now()))
    .orderBy('midpoint_on')
    .select('id');
  let alerted = 0;
  for (const { id } of due) {
    try {
      if (await db.transaction((trx) => alertIfMidpointMissed(trx, id, clock.now()))) alerted += 1;
    } catch (error) {
      logger?.error({ err: error, contractId: id }, 'midpoint alert not sent');
    }
  }
  return alerted;
}

/** The job at each contract's midpoint, and an hourly sweep in case one is lost. */
export function contractJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  const { db, clock, logger } = deps;
  return {
    tasks: {
      [CONTRACT_MIDPOINT]: async (payload) => {
        const id = (payload as { contractId?: unknown } | null)?.contractId;
        if (typeof id !== 'number') throw new Error(`not a contract: ${JSON.stringify(payload)}`);
        if (await db.transaction((trx) => alertIfMidpointMissed(trx, id, clock.now()))) {
          logger.info({ contractId: id }, 'midpoint passed without a check-in');
        }
      },
      [MISSED_MIDPOINTS]: async () => {
        const alerted = await alertMissedMidpoints(db, clock, logger);
        if (alerted > 0) logger.info({ alerted }, 'midpoints passed without a check-in');
      },
    },
    schedule: { [MISSED_MIDPOINTS]: '17 * * * *' },
  };
}
