import type { Express, NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../app.ts';
import { HttpError } from './errors.ts';
import { languages, otherLang, type Lang, type Translate } from './i18n.ts';
import { pages, url, type PageName, type UrlParams } from './routes.ts';

/** Who may reach a route. Later issues add signed-in roles here; the matrix test reads it. */
export type Access = 'public' | 'development';

export interface PageContext {
  lang: Lang;
  t: Translate;
  url(name: PageName, params?: UrlParams, lang?: Lang): string;
  /** Renders a view with the layout's values and sends it; cached routes keep a copy. */
  render(view: string, data?: Record<string, unknown>, status?: number): void;
}

export interface RouteDef {
  page: PageName;
  method: 'get' | 'post';
  access: Access;
  /** The rendered page is the same for every anonymous visitor: keep it in the page cache. */
  cache?: boolean;
  handle(req: Request, res: Response, page: PageContext): Promise<void> | void;
}

function sendCached(req: Request, res: Response, body: Buffer, etag: string): void {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
    ETag: etag,
  });
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.status(200).end(body);
}

function cacheKey(lang: Lang, req: Request): string {
  // The query string is left out on purpose: it never changes a public page, and keying on it
  // would let anyone fill the cache.
  return `${lang}${req.path}`;
}

function allowed(access: Access, deps: AppDeps): boolean {
  return access === 'public' || (access === 'development' && deps.config.NODE_ENV !== 'production');
}

export function mountRoutes(app: Express, routes: readonly RouteDef[], deps: AppDeps): void {
  for (const route of routes) {
    for (const lang of languages) {
      const path = pages[route.page][lang];
      app[route.method](path, async (req: Request, res: Response, next: NextFunction) => {
        if (!allowed(route.access, deps)) return next(new HttpError(404));
        const key = cacheKey(lang, req);
        if (route.cache) {
          const hit = deps.pageCache.get(key);
          if (hit) return sendCached(req, res, hit.body, hit.etag);
        }
        const t = deps.translator.t(lang);
        const link = (name: PageName, params: UrlParams = {}, to: Lang = lang) =>
          url(name, params, to);
        const other = otherLang(lang);
        const layout = {
          lang,
          t,
          url: link,
          page: route.page,
          toggle: { lang: other, href: url(route.page, req.params as UrlParams, other) },
          isDevelopment: deps.config.NODE_ENV !== 'production',
        };
        await route.handle(req, res, {
          lang,
          t,
          url: link,
          render(view, data = {}, status = 200) {
            const html = deps.views.render(view, { ...layout, ...data });
            if (route.cache && status === 200) {
              const entry = deps.pageCache.set(key, html);
              return sendCached(req, res, entry.body, entry.etag);
            }
            res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
          },
        });
      });
    }
  }
}
