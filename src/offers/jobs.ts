import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import { lapseIfDue } from './answers.ts';
import { LAPSE_OFFER } from './offer-next.ts';

const LAPSE_DUE_OFFERS = 'lapse-due-offers';

/**
 * Offers left unanswered past their time, oldest first; each lapses in its own transaction (and
 * offers the next in the order), so one that fails is logged and does not hold the others.
 */
export async function lapseDueOffers(
  db: Db,
  clock: Clock,
  logger?: Pick<Logger, 'error'>,
): Promise<number> {
  const due: { id: string }[] = await db('contracts')
    .where('status', 'offered')
    .andWhere('respond_by', '<=', clock.now())
    .orderBy('respond_by')
    .select('id');
  let lapsed = 0;
  for (const { id } of due) {
    try {
      if (await db.transaction((trx) => lapseIfDue(trx, Number(id), clock.now()))) lapsed += 1;
    } catch (error) {
      logger?.error({ err: error, contractId: Number(id) }, 'offer not lapsed');
    }
  }
  return lapsed;
}

/** The job at each offer's time to answer, and a sweep every minute in case one is lost. */
export function offerJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  const { db, clock, logger } = deps;
  return {
    tasks: {
      [LAPSE_OFFER]: async (payload) => {
        const id = (payload as { contractId?: unknown } | null)?.contractId;
        if (typeof id !== 'number') throw new Error(`not a contract: ${JSON.stringify(payload)}`);
        if (await db.transaction((trx) => lapseIfDue(trx, id, clock.now()))) {
          logger.info({ contractId: id }, 'offer lapsed at its time to answer');
        }
      },
      [LAPSE_DUE_OFFERS]: async () => {
        const lapsed = await lapseDueOffers(db, clock, logger);
        if (lapsed > 0) logger.info({ lapsed }, 'offers lapsed at their time to answer');
      },
    },
    schedule: { [LAPSE_DUE_OFFERS]: '* * * * *' },
  };
}
