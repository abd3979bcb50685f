import { opportunityMachine } from '../opportunities/machine.ts';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { transition } from './transition.ts';
import { periodicTask, type PeriodicTask } from '../platform/periodic.ts';

interface DueOpportunity {
  id: number;
  version: number;
  reference: string;
  title_en: string;
  title_fr: string;
  closes_at: Date;
}

/**
 * Closes every published opportunity whose deadline (an instant, entered in Eastern time) has
 * passed, one transaction each: the `close` transition by the system and the requester's
 * bilingual email commit together or not at all. SKIP LOCKED lets several app processes run
 * this at once without taking the same opportunity; a closed one no longer matches, so running
 * it again does nothing. One that fails is logged, left published and retried on the next run.
 */
export async function closeDueOpportunities(
  db: Db,
  clock: Clock,
  logger?: Pick<Logger, 'error'>,
): Promise<number> {
  const failed: number[] = [];
  let closed = 0;
  for (;;) {
    let current: number | undefined;
    try {
      const done = await db.transaction(async (trx) => {
        const due: DueOpportunity | undefined = await trx('opportunities')
          .where('status', 'published')
          .andWhere('closes_at', '<=', clock.now())
          .whereNotIn('id', failed)
          .orderBy('closes_at')
          .orderBy('id')
          .first('id', 'version', 'reference', 'title_en', 'title_fr', 'closes_at')
          .forUpdate()
          .skipLocked();
        if (!due) return false;
        current = due.id;
        await transition(trx, opportunityMachine, {
          now: clock.now(),
          id: due.id,
          action: 'close',
          actor: null,
          expectedVersion: due.version,
        });
        const requester: { email: string; language: Lang } | undefined = await trx('events as e')
          .join('users as u', 'u.id', 'e.actor_id')
          .where({ 'e.entity_type': 'opportunity', 'e.entity_id': due.id, 'e.action': 'submit' })
          .whereNull('u.closed_at')
          .orderBy('e.id', 'desc')
          .first('u.email as email', 'u.preferred_language as language');
        if (requester) {
          const closesAt = new Date(due.closes_at);
          await enqueueEmail(
            trx,
            {
              idempotencyKey: `deadline-passed:${due.id}`,
              template: 'deadline-passed',
              to: requester.email,
              language: requester.language,
              data: {
                title: { en: due.title_en, fr: due.title_fr },
                deadline: {
                  en: formatDeadline(closesAt, 'en'),
                  fr: formatDeadline(closesAt, 'fr'),
                },
                links: {
                  en: url('opportunity', { ref: due.reference }, 'en'),
                  fr: url('opportunity', { ref: due.reference }, 'fr'),
                },
              },
            },
            clock.now(),
          );
        }
        return true;
      });
      if (!done) return closed;
      closed += 1;
    } catch (error) {
      if (current === undefined) throw error;
      failed.push(current);
      logger?.error({ err: error, opportunityId: current }, 'opportunity not closed');
    }
  }
}

/** Every 30 s by default, so an opportunity closes within a minute of its deadline. */
export function createClosingJob(deps: { db: Db; clock: Clock; logger: Logger }): PeriodicTask {
  const { db, clock, logger } = deps;
  return periodicTask(
    'closing job',
    async () => {
      const closed = await closeDueOpportunities(db, clock, logger);
      if (closed > 0) logger.info({ closed }, 'opportunities closed at their deadline');
      return closed;
    },
    logger,
    30_000,
  );
}
