import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import { formatDeadline } from '../platform/dates.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';

const REMIND_WATCHERS = 'remind-watchers-of-closing';
const DAY_MS = 24 * 60 * 60 * 1000;

interface WatcherToRemind {
  opportunity_id: number;
  user_id: number;
  closes_at: Date;
  reference: string;
  title_en: string;
  title_fr: string;
  email: string;
  language: Lang;
}

/**
 * Tells each supplier watching an open opportunity, once per closing time, when it closes in
 * less than 24 hours (a sweep every five minutes; a deadline moved by an addendum is a new
 * reminder). A watcher with an application of their own is left out: a draft has its own
 * reminder, and a submitted one needs none. Returns how many.
 */
export async function remindWatchersOfClosing(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  return db.transaction(async (trx) => {
    const watchers: WatcherToRemind[] = await trx('watchers as w')
      .join('opportunities as o', 'o.id', 'w.opportunity_id')
      .join('users as u', 'u.id', 'w.user_id')
      .where({ 'o.status': 'published' })
      .where('o.closes_at', '>', now)
      .where('o.closes_at', '<=', new Date(now.getTime() + DAY_MS))
      .whereRaw('w.reminded_for_closes_at IS DISTINCT FROM o.closes_at')
      .whereNull('u.closed_at')
      .whereNotExists(
        trx('applications as a')
          .whereRaw('a.opportunity_id = w.opportunity_id')
          .whereRaw('a.supplier_id = w.user_id'),
      )
      .forUpdate('w')
      .skipLocked()
      .select(
        'w.opportunity_id',
        'w.user_id',
        'o.closes_at',
        'o.reference',
        'o.title_en',
        'o.title_fr',
        'u.email',
        'u.preferred_language as language',
      );
    for (const w of watchers) {
      const closesAt = new Date(w.closes_at);
      await enqueueEmail(
        trx,
        {
          idempotencyKey: `watch-closing-reminder:${w.opportunity_id}:${w.user_id}:${closesAt.toISOString()}`,
          template: 'watch-closing-reminder',
          to: w.email,
          language: w.language,
          data: {
            reference: w.reference,
            title: { en: w.title_en, fr: w.title_fr },
            deadline: Object.fromEntries(languages.map((l) => [l, formatDeadline(closesAt, l)])),
            links: Object.fromEntries(
              languages.map((l) => [l, url('opportunity', { ref: w.reference }, l)]),
            ),
          },
        },
        now,
      );
      await trx('watchers')
        .where({ opportunity_id: w.opportunity_id, user_id: w.user_id })
        .update({ reminded_for_closes_at: closesAt });
    }
    return watchers.length;
  });
}

/** Watching's part of the job runner: the closing reminders' sweep. */
export function watchJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  return {
    tasks: {
      [REMIND_WATCHERS]: async () => {
        const reminded = await remindWatchersOfClosing(deps.db, deps.clock);
        if (reminded > 0) deps.logger.info({ reminded }, 'watchers reminded of the closing');
      },
    },
    schedule: { [REMIND_WATCHERS]: '*/5 * * * *' },
  };
}
