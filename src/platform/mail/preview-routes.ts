import type { AppDeps } from '../deps.ts';
import type { RouteDef } from '../router.ts';
import type { OutboxRow } from './outbox.ts';

/** Development only: with no SMTP server, queued emails stay in the outbox and show here. */
export function emailPreviewRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'emailPreview',
      method: 'get',
      access: 'development',
      async handle(_req, _res, page) {
        const rows: OutboxRow[] = await deps.db('outbox').orderBy('id', 'desc').limit(50);
        const emails = rows.map((row) => ({
          id: row.id,
          to: row.recipient,
          status: row.status,
          template: row.template,
          queuedAt: row.created_at.toISOString(),
          ...deps.emailRenderer.render(row.template, row.language, row.data),
        }));
        page.render('pages/email-preview.njk', { emails });
      },
    },
  ];
}
