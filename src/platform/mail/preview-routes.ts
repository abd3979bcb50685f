import type { Request } from 'express';
import { hasRole, type CurrentUser } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import type { RouteDef } from '../router.ts';
import type { OutboxRow } from './outbox.ts';
import { emailSamples } from './samples.ts';

/**
 * The connection itself comes from this computer. The socket's address, never X-Forwarded-For: a
 * header anyone can write, and behind a proxy on this computer every request would pass.
 */
function fromLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  return address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** The queued emails hold reset, confirmation and invitation links: not for any visitor. */
function mayReadOutbox(req: Request, user: CurrentUser | undefined): boolean {
  return fromLoopback(req) || hasRole(user, ['platform_admin']);
}

/**
 * Development only (the route is absent in production): with no SMTP server, queued emails stay
 * in the outbox and show here, to the developer at this computer or a platform administrator.
 */
export function emailPreviewRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      page: 'emailPreview',
      method: 'get',
      access: 'development',
      async handle(req, _res, page) {
        if (!mayReadOutbox(req, page.user)) throw new HttpError(404);
        const rows: OutboxRow[] = await deps.db('outbox').orderBy('id', 'desc').limit(50);
        const emails = rows.map((row) => ({
          id: row.id,
          to: row.recipient,
          status: row.status,
          template: row.template,
          queuedAt: row.created_at.toISOString(),
          ...deps.emailRenderer.render(row.template, row.language, row.data, row.language_only),
        }));
        // Every template, in both languages, with made-up data: what each email looks like
        // before anything has sent it.
        const samples = emailSamples().map(({ template, data }) => ({
          template,
          ...deps.emailRenderer.render(template, page.lang, data),
        }));
        page.render('pages/email-preview.njk', { emails, samples });
      },
    },
  ];
}
