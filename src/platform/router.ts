import express from 'express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/knex.ts';
import type { AppDeps } from './deps.ts';
import type { Role } from './roles.ts';
import { currentUser, departmentsOf, hasRole, staffMenu, type CurrentUser } from './auth.ts';
import { fieldsWithCardNumbers, typedWithout } from './card-numbers.ts';
import { csrfToken, routeChecksCsrf } from './csrf.ts';
import { renderErrorPage } from './errors.ts';
import { ipKeyGenerator } from 'express-rate-limit';
import { rateLimit, targetKey } from './rate-limit-store.ts';
import type { Sessions } from './sessions.ts';
import { HttpError } from './errors.ts';
import { languages, otherLang, type Lang, type Translate } from './i18n.ts';
import { langOfPath, pages, url, type PageName, type UrlParams } from './routes.ts';

/**
 * Who may reach a route: everyone, development only, any signed-in person, suppliers, or staff
 * holding one of the roles. With `department: 'param'`, the role must be held in the department
 * the URL names by its `:dept` (the English acronym in lower case); with `'opportunity'`, in the
 * department of the opportunity (or request) the URL names by its `:ref`. The authorization
 * matrix test reads this from the route table.
 */
export type Access =
  | 'public'
  | 'development'
  | 'signedIn'
  | 'supplier'
  | { roles: readonly Role[]; department?: 'param' | 'opportunity' };

/**
 * How the access check finds the department a URL names, by its `:dept` acronym or by the `:ref`
 * of an opportunity: departments and opportunities are features, so the app hands these in.
 * Either answers undefined for a value that names nothing (or is not even well formed).
 */
export interface DepartmentLookups {
  bySlug(db: Db, slug: unknown): Promise<number | undefined>;
  byReference(db: Db, reference: unknown): Promise<number | undefined>;
}

export interface PageContext {
  lang: Lang;
  t: Translate;
  url(name: PageName, params?: UrlParams, lang?: Lang): string;
  /** Renders a view with the layout's values and sends it; cached routes keep a copy. */
  render(view: string, data?: Record<string, unknown>, status?: number): void;
  /** The signed-in person, when there is one. */
  user: CurrentUser | undefined;
  /** The department the URL names, found by the access check (`department` accesses only). */
  departmentId?: number;
}

interface RouteLimit {
  /** Unique across the route table: it names the stored counts. */
  name: string;
  limit: number;
  windowMs: number;
  /**
   * Also at most `limit` requests in the window naming the same target in the form's `field`
   * (an email address), from any IP address: spreading requests over many addresses does not
   * reach one account or one inbox more often.
   */
  perTarget?: { field: string; limit: number };
}

interface RouteBase {
  page: PageName;
  access: Access;
  /** The rendered page is the same for every anonymous visitor: keep it in the page cache. */
  cache?: boolean;
  /**
   * For a POST with no page of its own (no GET at its address): the page it shows again on a
   * refusal, whose other-language address the language toggle links to.
   */
  shows?: PageName;
  /**
   * A POST whose handler checks its origin itself (hasValidCsrfToken() in csrf.ts), instead of
   * the 403 for every POST without a token: the one-click unsubscribe of RFC 8058, which a mail
   * provider sends with the address's unguessable token and no page, and a form printed on a
   * cached page, which has no token and which the handler answers without a change.
   */
  csrf?: 'route';
  handle(req: Request, res: Response, page: PageContext): Promise<void> | void;
}

/**
 * A route of the table. Every POST declares its limit, so a new form cannot forget one: at most
 * `limit` requests in `windowMs`, across every app process, from one client address on a public
 * route, or from one signed-in person on the others (colleagues behind one office address do not
 * share a count). A GET may declare one too.
 */
export type RouteDef = RouteBase &
  ({ method: 'get'; limit?: RouteLimit } | { method: 'post'; limit: RouteLimit });

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

/**
 * Serves a cached public page before any session, body or routing work: the page cache holds
 * only pages of public routes rendered for anonymous visitors, so a hit needs no other check.
 */
export function cachedPages(deps: AppDeps, sessionCookie: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.headers.cookie?.includes(`${sessionCookie}=`)) return next();
    // Entries are keyed by the page's own address (see mountRoutes): any other spelling of it
    // misses here and is answered by its route.
    const hit = langOfPath(req.path) ? deps.pageCache.get(req.path) : undefined;
    if (!hit) return next();
    sendCached(req, res, hit.body, hit.etag);
  };
}

/**
 * Routing is case-sensitive and strict (app.ts), so `/en/opportunities/` is not a page: a GET of
 * a site address with trailing slashes is sent to the address without them. Only addresses in the
 * site's languages, and never one starting `//`, which a browser reads as another site.
 */
export const withoutTrailingSlash: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  let path = req.path;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === req.path || !langOfPath(path) || path.includes('//')) return next();
  const queryAt = req.originalUrl.indexOf('?');
  res.redirect(301, path + (queryAt === -1 ? '' : req.originalUrl.slice(queryAt)));
};

type Decision = 'allow' | 'signIn' | 'forbidden' | 'notFound';

async function decide(
  access: Access,
  user: CurrentUser | undefined,
  req: Request,
  deps: AppDeps,
  departments: DepartmentLookups,
): Promise<{ decision: Decision; departmentId?: number }> {
  if (access === 'public') return { decision: 'allow' };
  if (access === 'development')
    return { decision: deps.config.NODE_ENV === 'production' ? 'notFound' : 'allow' };
  if (!user) return { decision: 'signIn' };
  if (access === 'signedIn') return { decision: 'allow' };
  if (access === 'supplier') return { decision: user.kind === 'supplier' ? 'allow' : 'forbidden' };
  if (!access.department) {
    return { decision: hasRole(user, access.roles) ? 'allow' : 'forbidden' };
  }
  const departmentId =
    access.department === 'param'
      ? await departments.bySlug(deps.db, req.params.dept)
      : await departments.byReference(deps.db, req.params.ref);
  if (departmentId === undefined) return { decision: 'notFound' };
  if (hasRole(user, access.roles, departmentId)) return { decision: 'allow', departmentId };
  // Only the department's own staff learn that the page exists; everyone else sees a 404.
  return { decision: departmentsOf(user).includes(departmentId) ? 'forbidden' : 'notFound' };
}

/** Runs before csrfProtection(): marks the POSTs of routes declaring `csrf: 'route'`. */
export function postsCheckingCsrf(routes: readonly RouteDef[]): RequestHandler {
  const marks = express.Router({ caseSensitive: true, strict: true });
  for (const route of routes) {
    if (route.method !== 'post' || route.csrf !== 'route') continue;
    for (const lang of languages) {
      marks.post(pages[route.page][lang], (_req, res, next) => {
        routeChecksCsrf(res);
        next();
      });
    }
  }
  return marks;
}

/** Where to come back after signing in: only a path on this site. */
export function safeReturnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?:en|fr)(?:\/|$)/.test(value) && !value.startsWith('//')
    ? value
    : undefined;
}

/** The signed-in person, else the client's address (as express-rate-limit keys it by default). */
function personOrAddress(req: Request, res: Response): string {
  const user = currentUser(res);
  return user ? `person:${user.id}` : ipKeyGenerator(req.ip ?? '');
}

function limiters(route: RouteDef, deps: AppDeps): RequestHandler[] {
  if (!route.limit) return [];
  const { name, limit, windowMs, perTarget } = route.limit;
  const handler = (req: Request, res: Response) => renderErrorPage(deps, req, res, 429);
  const perClient = rateLimit(deps, {
    name,
    limit,
    windowMs,
    handler,
    ...(route.access !== 'public' && { keyGenerator: personOrAddress }),
  });
  if (!perTarget) return [perClient];
  const target = (req: Request) =>
    targetKey((req.body as Record<string, unknown> | undefined)?.[perTarget.field]);
  return [
    perClient,
    rateLimit(deps, {
      name: `${name}:target`,
      limit: perTarget.limit,
      windowMs,
      keyGenerator: (req) => target(req) ?? '',
      skip: (req) => target(req) === undefined,
      handler,
    }),
  ];
}

export function mountRoutes(
  app: Express,
  routes: readonly RouteDef[],
  deps: AppDeps,
  sessions: Sessions,
  departments: DepartmentLookups,
): void {
  const formPages = new Map(routes.filter((r) => r.method === 'get').map((r) => [r.page, r]));
  /**
   * A form holding a card number is refused before its route runs: its page is shown again (the
   * GET route of the page it shows) with what was typed, the number's field emptied and marked.
   * A page that would not show the message (or cannot be shown) gives way to a page of its own.
   */
  async function refuseCardNumbers(
    req: Request,
    res: Response,
    page: PageContext,
    route: RouteDef,
    refusal: { fields: readonly string[]; html(view: string, data: object): string },
  ): Promise<void> {
    const message = page.t('forms.errors.cardNumber');
    const errors = refusal.fields.map((field) => ({ field, message }));
    const typed = typedWithout(req.body, refusal.fields);
    const send = (html: string) =>
      res.status(400).type('html').set('Cache-Control', 'no-store').send(html);
    try {
      await formPages.get(route.shows ?? route.page)?.handle(req, res, {
        ...page,
        render(view, data = {}) {
          const values = { ...(data.values as Record<string, string> | undefined), ...typed };
          const shown = (data.errors as unknown[] | undefined) ?? [];
          const html = refusal.html(view, { ...data, values, errors: [...errors, ...shown] });
          if (html.includes('error-summary') && html.includes(message)) send(html);
        },
      });
    } catch (error) {
      // The form's page cannot be shown (gone, or not this person's): the refusal still is.
      if (!(error instanceof HttpError)) throw error;
    }
    if (!res.headersSent) send(refusal.html('errors/card-number.njk', { errors }));
  }

  for (const route of routes) {
    // One limiter per route, shared by its English and French paths.
    const limits = limiters(route, deps);
    for (const lang of languages) {
      const path = pages[route.page][lang];
      app[route.method](
        path,
        ...limits,
        async (req: Request, res: Response, next: NextFunction) => {
          const user = currentUser(res);
          const { decision, departmentId } = await decide(
            route.access,
            user,
            req,
            deps,
            departments,
          );
          if (decision === 'signIn') {
            const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
            return res.redirect(303, url('signIn', {}, lang) + back);
          }
          if (decision !== 'allow')
            return next(new HttpError(decision === 'forbidden' ? 403 : 404));
          // The page's own address, whatever spelling of its parameters came in; the query string
          // never changes a public page, and keying on it would let anyone fill the cache.
          const key = url(route.page, req.params as UrlParams, lang);
          // Signed-in people see their own header; only anonymous visitors share cached pages,
          // and only public routes are cached (cachedPages() serves hits without any check).
          const cacheable = route.cache === true && route.access === 'public' && !user;
          if (cacheable) {
            const hit = deps.pageCache.get(key);
            if (hit) return sendCached(req, res, hit.body, hit.etag);
          } else {
            await sessions.ensure(req, res);
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
            toggle: {
              lang: other,
              href: url(route.shows ?? route.page, req.params as UrlParams, other),
            },
            isDevelopment: deps.config.NODE_ENV !== 'production',
            currentUser: user,
            menu: staffMenu(user),
            csrfToken: cacheable ? '' : csrfToken(req),
          };
          const htmlOf = (view: string, data: object) =>
            deps.views.render(view, { ...layout, ...data });
          const page: PageContext = {
            lang,
            t,
            url: link,
            user,
            departmentId,
            render(view, data = {}, status = 200) {
              const html = htmlOf(view, data);
              if (cacheable && status === 200) {
                const entry = deps.pageCache.set(key, html);
                return sendCached(req, res, entry.body, entry.etag);
              }
              res.status(status).type('html').set('Cache-Control', 'no-store').send(html);
            },
          };
          if (route.method === 'post') {
            const refused = fieldsWithCardNumbers(req.body);
            if (refused.length > 0) {
              return refuseCardNumbers(req, res, page, route, { fields: refused, html: htmlOf });
            }
          }
          await route.handle(req, res, page);
        },
      );
    }
  }
}
