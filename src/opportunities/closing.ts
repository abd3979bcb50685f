import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { fixFingerprintList } from '../draw/service.ts';
import { transition } from '../lifecycle/transition.ts';
import type { Clock } from '../platform/clock.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { addJob, type JobDefinitions } from '../platform/jobs.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { opportunityMachine } from './machine.ts';

const CLOSE_OPPORTUNITY = 'close-opportunity';
const CLOSE_DUE_OPPORTUNITIES = 'close-due-opportunities';
export const closingJobKey = (opportunityId: number) => `${CLOSE_OPPORTUNITY}:${opportunityId}`;

interface DueOpportunity {
  id: number;
  version: number;
  reference: string;
  title_en: string;
  title_fr: string;
  closes_at: Date;
}

/**
 * Schedules the closing at the deadline, in the caller's transaction (publishing, or an addendum
 * that moves the deadline): one job per opportunity, so a new deadline replaces the old one.
 */
export function scheduleClosing(
  trx: Knex.Transaction,
  opportunity: { id: number; closesAt: Date },
): Promise<void> {
  return addJob(trx, {
    task: CLOSE_OPPORTUNITY,
    payload: { opportunityId: opportunity.id },
    runAt: opportunity.closesAt,
    key: closingJobKey(opportunity.id),
  });
}

/**
 * The closing's part of the job runner: the job scheduled at each deadline, and a sweep every
 * minute that closes whatever is due, so no closing depends on one job surviving.
 */
export function closingJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  const { db, clock, logger } = deps;
  return {
    tasks: {
      [CLOSE_OPPORTUNITY]: async (payload) => {
        const id = (payload as { opportunityId?: unknown } | null)?.opportunityId;
        if (typeof id !== 'number')
          throw new Error(`not an opportunity: ${JSON.stringify(payload)}`);
        // Thrown on failure: the queue retries with its backoff (and the sweep tries meanwhile).
        if (await closeIfDue(db, clock, id))
          logger.info({ opportunityId: id }, 'closed at its deadline');
      },
      [CLOSE_DUE_OPPORTUNITIES]: async () => {
        const closed = await closeDueOpportunities(db, clock, logger);
        if (closed > 0) logger.info({ closed }, 'opportunities closed at their deadline');
      },
    },
    schedule: { [CLOSE_DUE_OPPORTUNITIES]: '* * * * *' },
  };
}

/**
 * Published opportunities whose deadline (an instant, entered in Eastern time) has passed, locked
 * for closing. SKIP LOCKED: several processes (or a job and the sweep) never take the same one;
 * a closed one no longer matches, so closing again does nothing.
 */
const due = (trx: Knex.Transaction, now: Date) =>
  trx('opportunities')
    .where('status', 'published')
    .andWhere('closes_at', '<=', now)
    .orderBy('closes_at')
    .orderBy('id')
    .first('id', 'version', 'reference', 'title_en', 'title_fr', 'closes_at')
    .forUpdate()
    .skipLocked();

/** The job at one opportunity's deadline; false when it is not (or no longer) due. */
export function closeIfDue(db: Db, clock: Clock, opportunityId: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const opportunity: DueOpportunity | undefined = await due(trx, clock.now()).where(
      'id',
      opportunityId,
    );
    if (!opportunity) return false;
    await close(trx, opportunity, clock);
    return true;
  });
}

/**
 * The sweep: closes every due opportunity, one transaction each. One that fails is logged, left
 * published and tried again on the next sweep (and by its job's retries).
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
        const opportunity: DueOpportunity | undefined = await due(trx, clock.now()).whereNotIn(
          'id',
          failed,
        );
        if (!opportunity) return false;
        current = opportunity.id;
        await close(trx, opportunity, clock);
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

/**
 * The `close` transition by the system, the draw's fingerprint list fixed and the requester's
 * bilingual email, together.
 */
async function close(
  trx: Knex.Transaction,
  opportunity: DueOpportunity,
  clock: Clock,
): Promise<void> {
  await transition(trx, opportunityMachine, {
    now: clock.now(),
    id: opportunity.id,
    action: 'close',
    actor: null,
    expectedVersion: opportunity.version,
  });
  // From now on no application can be added to or removed from the draw.
  await fixFingerprintList(trx, opportunity.id, clock.now());
  const requester: { email: string; language: Lang } | undefined = await trx('events as e')
    .join('users as u', 'u.id', 'e.actor_id')
    .where({ 'e.entity_type': 'opportunity', 'e.entity_id': opportunity.id, 'e.action': 'submit' })
    .whereNull('u.closed_at')
    .orderBy('e.id', 'desc')
    .first('u.email as email', 'u.preferred_language as language');
  if (!requester) return;
  const closesAt = new Date(opportunity.closes_at);
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `deadline-passed:${opportunity.id}`,
      template: 'deadline-passed',
      to: requester.email,
      language: requester.language,
      data: {
        reference: opportunity.reference,
        title: { en: opportunity.title_en, fr: opportunity.title_fr },
        deadline: {
          en: formatDeadline(closesAt, 'en'),
          fr: formatDeadline(closesAt, 'fr'),
        },
        links: {
          en: url('opportunity', { ref: opportunity.reference }, 'en'),
          fr: url('opportunity', { ref: opportunity.reference }, 'fr'),
        },
      },
    },
    clock.now(),
  );
}
