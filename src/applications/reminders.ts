import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import { formatDeadline } from '../platform/dates.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import type { JobDefinitions } from '../platform/jobs.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';

const REMIND_DRAFTS = 'remind-unsubmitted-drafts';
const DAY_MS = 24 * 60 * 60 * 1000;

interface DraftToRemind {
  id: number;
  closes_at: Date;
  reference: string;
  title_en: string;
  title_fr: string;
  email: string;
  language: Lang;
}

/**
 * Tells each supplier holding an unsubmitted draft, once per closing time, when the deadline is
 * less than 24 hours away: a sweep every five minutes, so a draft started late or a deadline
 * moved by an addendum is reminded too (a new closing time, a new reminder). Returns how many.
 */
export async function remindUnsubmittedDrafts(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  return db.transaction(async (trx) => {
    const drafts: DraftToRemind[] = await trx('applications as a')
      .join('opportunities as o', 'o.id', 'a.opportunity_id')
      .join('users as u', 'u.id', 'a.supplier_id')
      .where({ 'a.status': 'draft', 'o.status': 'published' })
      .where('o.closes_at', '>', now)
      .where('o.closes_at', '<=', new Date(now.getTime() + DAY_MS))
      .whereRaw('a.reminded_for_closes_at IS DISTINCT FROM o.closes_at')
      .whereNull('u.closed_at')
      .forUpdate('a')
      .skipLocked()
      .select(
        'a.id',
        'o.closes_at',
        'o.reference',
        'o.title_en',
        'o.title_fr',
        'u.email',
        'u.preferred_language as language',
      );
    for (const d of drafts) {
      const closesAt = new Date(d.closes_at);
      await enqueueEmail(
        trx,
        {
          idempotencyKey: `deadline-reminder:${d.id}:${closesAt.toISOString()}`,
          template: 'deadline-reminder',
          to: d.email,
          language: d.language,
          data: {
            reference: d.reference,
            title: { en: d.title_en, fr: d.title_fr },
            deadline: Object.fromEntries(languages.map((l) => [l, formatDeadline(closesAt, l)])),
            links: Object.fromEntries(
              languages.map((l) => [l, url('application', { id: d.id }, l)]),
            ),
          },
        },
        now,
      );
      await trx('applications').where({ id: d.id }).update({ reminded_for_closes_at: closesAt });
    }
    return drafts.length;
  });
}

/** The applications' part of the job runner: the reminders' sweep. */
export function applicationJobs(deps: { db: Db; clock: Clock; logger: Logger }): JobDefinitions {
  return {
    tasks: {
      [REMIND_DRAFTS]: async () => {
        const reminded = await remindUnsubmittedDrafts(deps.db, deps.clock);
        if (reminded > 0) deps.logger.info({ reminded }, 'drafts reminded of the deadline');
      },
    },
    schedule: { [REMIND_DRAFTS]: '*/5 * * * *' },
  };
}
