import { activeGrants } from '../accounts/repo.ts';
import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Clock } from '../platform/clock.ts';
import { easternDate, formatCalendarDate } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import type { Logger } from 'pino';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { laterStepQueues, supplierQueues } from './service.ts';
import { isOverdue } from './urgency.ts';

const SEND_QUEUE_DIGESTS = 'send-queue-digests';
const both = <T>(make: (lang: Lang) => T) => ({ en: make('en'), fr: make('fr') });

/** The person's overdue lines, queue by queue, as the digest lists them. */
async function overdueOf(db: Db, user: CurrentUser, now: Date) {
  const sections =
    user.grants.length > 0
      ? await laterStepQueues(db, user, now)
      : [await supplierQueues(db, user, now)];
  return sections.flatMap((s) =>
    s.queues.flatMap((q) =>
      q.lines
        .filter((l) => isOverdue(l.dueOn, now))
        .map((l) => ({
          queue: q.name,
          reference: l.reference,
          dueOn: both((lang) => formatCalendarDate(l.dueOn!, lang)),
        })),
    ),
  );
}

/**
 * Once a day, to each person who asked for it: the lines of their queues past their due date.
 * Nothing overdue, no email; either way the day is marked, so a second run that day sends nothing.
 */
export async function sendQueueDigests(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  const today = easternDate(now);
  const people = await db('users')
    .where('queue_digest', true)
    .whereNull('closed_at')
    .where((q) => q.whereNull('queue_digest_sent_on').orWhere('queue_digest_sent_on', '<', today))
    .orderBy('id')
    .select('id', 'email', 'kind', 'display_name', 'preferred_language');
  let sent = 0;
  for (const p of people) {
    const user: CurrentUser = {
      id: Number(p.id),
      email: p.email,
      kind: p.kind,
      displayName: p.display_name,
      language: p.preferred_language,
      grants: await activeGrants(db, Number(p.id)),
    };
    const items = await overdueOf(db, user, now);
    await db.transaction(async (trx) => {
      if (items.length > 0) {
        await enqueueEmail(
          trx,
          {
            idempotencyKey: `queue-digest:${user.id}:${today}`,
            template: 'queue-digest',
            to: user.email,
            language: user.language,
            data: { count: items.length, items, link: both((l) => url('workQueues', {}, l)) },
          },
          now,
        );
        sent += 1;
      }
      await trx('users').where({ id: user.id }).update({ queue_digest_sent_on: today });
    });
  }
  return sent;
}

/** The digest at 12:00 UTC (7 or 8 a.m. in Toronto), every day. */
export function queueDigestJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  return {
    tasks: {
      [SEND_QUEUE_DIGESTS]: async () => {
        const sent = await sendQueueDigests(deps.db, deps.clock);
        if (sent > 0) deps.logger.info({ sent }, 'queue digests sent');
      },
    },
    schedule: { [SEND_QUEUE_DIGESTS]: '0 12 * * *' },
  };
}
