import type { AppDeps } from '../deps.ts';
import { formatDeadline } from '../dates.ts';
import { HttpError } from '../errors.ts';
import { positiveWholeNumber } from '../forms.ts';
import type { Access, PageContext, RouteDef } from '../router.ts';
import { FAILED_SHOWN, failedEmails, maskedAddress, retryFailedEmails } from './failed-emails.ts';

/**
 * The platform's administrators only: the outbox is one queue for every department, and a
 * failed message is as often a supplier's (an application received, a payment) as a
 * department's; mail delivery is the platform's to repair.
 */
const platformAdmin: Access = { roles: ['platform_admin'] };
const view = 'admin/failed-emails.njk';
const retryLimit = { limit: 30, windowMs: 15 * 60 * 1000 };

async function showFailed(deps: AppDeps, page: PageContext, retried: number | undefined) {
  const { rows, total } = await failedEmails(deps.db);
  page.render(view, {
    total,
    shown: FAILED_SHOWN,
    retried,
    emails: rows.map((row) => ({
      id: row.id,
      recipient: maskedAddress(row.recipient),
      template: row.template,
      attempts: row.attempts,
      lastError: row.last_error ?? '',
      queuedAt: row.created_at.toISOString(),
      queuedAtText: formatDeadline(row.created_at, page.lang),
      lastAttemptAt: row.next_attempt_at.toISOString(),
      lastAttemptAtText: formatDeadline(row.next_attempt_at, page.lang),
    })),
  });
}

/** Messages the outbox gave up on, and the retry of one or all of them. */
export function failedEmailRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'failedEmails',
      method: 'get',
      access: platformAdmin,
      async handle(req, _res, page) {
        const retried = req.query.retried;
        await showFailed(deps, page, retried === '0' ? 0 : positiveWholeNumber(retried));
      },
    },
    {
      page: 'retryFailedEmail',
      method: 'post',
      shows: 'failedEmails',
      access: platformAdmin,
      limit: { name: 'retry-failed-email', ...retryLimit },
      async handle(req, res, page) {
        const id = positiveWholeNumber(req.params.id);
        if (id === undefined) throw new HttpError(404);
        const retried = await retryFailedEmails(deps.db, deps.clock.now(), { id });
        res.redirect(303, `${page.url('failedEmails')}?retried=${retried}`);
      },
    },
    {
      page: 'retryAllFailedEmails',
      method: 'post',
      shows: 'failedEmails',
      access: platformAdmin,
      limit: { name: 'retry-all-failed-emails', ...retryLimit },
      async handle(_req, res, page) {
        const retried = await retryFailedEmails(deps.db, deps.clock.now(), 'all');
        res.redirect(303, `${page.url('failedEmails')}?retried=${retried}`);
      },
    },
  ];
}
