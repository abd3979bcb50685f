import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { both, linkTo, requesterOf, sendAbout } from '../offers/emails.ts';
import type { Clock } from '../platform/clock.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import { addJob, type JobDefinitions } from '../platform/jobs.ts';
import { contractWithOpportunity, roundsOf } from './repo.ts';
import { problemReportDeadline, reviewReminderAt } from './rules.ts';

const REVIEW_REMINDER = 'delivery-review-reminder';

/** The reminder of one round, at its time (three days before the 15 days are up). */
export function scheduleReviewReminder(
  trx: Knex.Transaction,
  delivery: { id: number; deliveredAt: Date },
): Promise<void> {
  return addJob(trx, {
    task: REVIEW_REMINDER,
    payload: { deliveryId: delivery.id },
    runAt: reviewReminderAt(delivery.deliveredAt),
    key: `${REVIEW_REMINDER}:${delivery.id}`,
  });
}

/**
 * Reminds the client of a round still awaiting their review: only if the contract is still
 * delivered and that round is its latest, unreviewed — not once reviewed, terminated or redelivered.
 * Returns whether a reminder was queued.
 */
async function remindToReview(
  trx: Knex.Transaction,
  deliveryId: number,
  now: Date,
): Promise<boolean> {
  const delivery = await trx('deliveries').where({ id: deliveryId }).first('contract_id');
  if (!delivery) return false;
  const file = await contractWithOpportunity(trx, Number(delivery.contract_id), { lock: true });
  const latest = file && (await roundsOf(trx, file.contract.id)).at(-1);
  if (!file || file.contract.status !== 'delivered' || latest?.id !== deliveryId || latest.review) {
    return false;
  }
  const reportBy = problemReportDeadline(latest.delivered_at);
  for (const to of await requesterOf(trx, file.opportunity)) {
    await sendAbout(trx, now, {
      template: 'delivery-review-reminder',
      opportunity: file.opportunity,
      to,
      key: deliveryId,
      data: {
        round: latest.round,
        reportBy: both((lang) => formatCalendarDate(reportBy, lang)),
        link: linkTo('contractReview', { id: file.contract.id }),
      },
    });
  }
  return true;
}

export function deliveryJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  const { db, clock, logger } = deps;
  return {
    tasks: {
      [REVIEW_REMINDER]: async (payload) => {
        const id = (payload as { deliveryId?: unknown } | null)?.deliveryId;
        if (typeof id !== 'number') throw new Error(`not a delivery: ${JSON.stringify(payload)}`);
        if (await db.transaction((trx) => remindToReview(trx, id, clock.now()))) {
          logger.info({ deliveryId: id }, 'client reminded to review a delivery');
        }
      },
    },
  };
}
