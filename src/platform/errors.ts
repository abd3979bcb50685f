import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from './deps.ts';
import { languages, type Lang } from './i18n.ts';
import { langOfPath } from './routes.ts';

/** An error a person can cause (unknown page, bad parameter); shown as a bilingual page. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 429,
    message = `HTTP ${status}`,
  ) {
    super(message);
  }
}

/** Statuses with their own wording in locales/<lang>/errors.json; other 4xx read as 400. */
const pageStatuses = new Set([400, 403, 404, 409, 413, 429, 500]);

/** Error pages are bilingual: the language of the path first, or English first at the root. */
export function renderErrorPage(deps: AppDeps, req: Request, res: Response, status: number): void {
  const first: Lang = langOfPath(req.path) ?? 'en';
  const order = first === 'en' ? languages : ([...languages].reverse() as Lang[]);
  const html = deps.views.render('errors/page.njk', {
    lang: first,
    status,
    requestId: String(req.id ?? ''),
    sections: order.map((lang) => ({ lang, t: deps.translator.t(lang) })),
    t: deps.translator.t(first),
  });
  res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
}

export function notFoundHandler(deps: AppDeps): RequestHandler {
  return (req, res) => renderErrorPage(deps, req, res, 404);
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpError) return error.status;
  const status = (error as { status?: unknown; statusCode?: unknown })?.status;
  // Errors from body parsing and routing that a client caused (malformed URI, too large a body).
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return pageStatuses.has(status) ? status : 400;
  }
  return undefined;
}

export function errorHandler(deps: AppDeps): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = statusOf(error);
    if (status !== undefined) return renderErrorPage(deps, req, res, status);
    req.log?.error({ err: error }, 'unhandled error');
    try {
      renderErrorPage(deps, req, res, 500);
    } catch (renderError) {
      req.log?.error({ err: renderError }, 'error page failed to render');
      res
        .status(500)
        .type('text')
        .send(`Error / Erreur — ${String(req.id ?? '')}`);
    }
  };
}
