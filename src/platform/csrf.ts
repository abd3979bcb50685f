import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import type { AppDeps } from './deps.ts';

/**
 * Every POST carries a token that a page of this site gave the browser, sent back as `_csrf`:
 *
 * - signed in: the synchronizer token kept in the session (csrf-sync), one per session;
 * - not signed in: a double-submit cookie. The form's token must equal an HttpOnly, SameSite=Lax
 *   cookie (`__Host-` in production, so no other host can set it). A visitor reading the sign-in
 *   or sign-up page therefore costs no session row: a session starts when someone signs in.
 *   There is no session to bind this token to, so signing it would add nothing: anyone can fetch
 *   a valid pair for themselves; what they cannot do is make another person's browser send it.
 */
const {
  csrfSynchronisedProtection,
  generateToken,
  isRequestValid,
  invalidCsrfTokenError: invalidToken,
} = csrfSync({
  getTokenFromRequest: (req) => sentToken(req),
});

function sentToken(req: Request): string | undefined {
  const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
  return typeof token === 'string' ? token : undefined;
}

const TOKEN = /^[\w-]{43}$/;

interface Anonymous {
  cookie: string;
  secure: boolean;
}

const signedIn = (req: Request) => req.session?.userId !== undefined;

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !TOKEN.test(b)) return false;
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Where the token of a visitor who is not signed in lives, for csrfToken() below. */
const anonymousOf = (res: Response) => res.locals.csrfAnonymous as Anonymous | undefined;

/**
 * Marks a POST whose route checks the token itself (router.ts, `csrf: 'route'`): the middleware
 * below lets it through, and the route calls hasValidCsrfToken() or holds another proof.
 */
export function routeChecksCsrf(res: Response): void {
  res.locals.csrfCheckedByRoute = true;
}

/** Refuses every POST without the right token (403 page, nothing changed). */
export function csrfProtection(deps: Pick<AppDeps, 'config'>): RequestHandler {
  const production = deps.config.NODE_ENV === 'production';
  const anonymous: Anonymous = { cookie: production ? '__Host-csrf' : 'csrf', secure: production };
  return (req, res, next) => {
    res.locals.csrfAnonymous = anonymous;
    if (req.method === 'POST' && res.locals.csrfCheckedByRoute === true) return next();
    if (signedIn(req)) return csrfSynchronisedProtection(req, res, next);
    if (req.method !== 'POST') return next();
    if (sameToken(sentToken(req), cookieOf(req, anonymous.cookie))) return next();
    next(invalidToken);
  };
}

/** Whether this POST carries the right token, for a route that checks it itself. */
export function hasValidCsrfToken(req: Request, res: Response): boolean {
  if (signedIn(req)) return isRequestValid(req);
  const anonymous = anonymousOf(res);
  return anonymous !== undefined && sameToken(sentToken(req), cookieOf(req, anonymous.cookie));
}

/** The visitor's cookie token, or a new one set now (once per response). */
function anonymousToken(req: Request, res: Response, anonymous: Anonymous): string {
  const existing = cookieOf(req, anonymous.cookie);
  if (existing && TOKEN.test(existing)) return existing;
  if (typeof res.locals.csrfNewToken === 'string') return res.locals.csrfNewToken;
  const token = randomBytes(32).toString('base64url');
  res.cookie(anonymous.cookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: anonymous.secure,
    path: '/',
  });
  res.locals.csrfNewToken = token;
  return token;
}

/**
 * The token for the page's forms, made only when a view prints it (`{{ csrfToken }}`): a page
 * without a form stores nothing and sets no cookie.
 */
export function csrfToken(req: Request): { toString(): string } {
  let token: string | undefined;
  return {
    toString() {
      if (token === undefined) {
        const res = req.res;
        const anonymous = res && anonymousOf(res);
        if (!res || !anonymous) throw new Error('csrfProtection() must run before csrfToken()');
        token = signedIn(req) ? generateToken(req) : anonymousToken(req, res, anonymous);
      }
      return token;
    },
  };
}
