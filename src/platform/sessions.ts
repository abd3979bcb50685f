import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { AppDeps } from './deps.ts';
import { langOfPath, url } from './routes.ts';
import { PostgresSessionStore } from './session-store.ts';

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    signedInAt?: number;
  }
}

export const sessionCookieName = (deps: AppDeps) =>
  deps.config.NODE_ENV === 'production' ? '__Host-session' : 'session';

export interface Sessions {
  /** Loads the session when the request carries its cookie or changes something. */
  middleware: RequestHandler;
  /** Starts a session on demand, e.g. for a form's CSRF token. */
  ensure(req: Request, res: Response): Promise<void>;
}

/**
 * Sessions are loaded only when needed: a visitor reading public pages without a session cookie
 * costs no session work, so cached pages stay fast; a page with a form starts one on demand.
 */
export function createSessions(deps: AppDeps): Sessions {
  const production = deps.config.NODE_ENV === 'production';
  const name = sessionCookieName(deps);
  const cookie = { httpOnly: true, sameSite: 'lax', secure: production, path: '/' } as const;
  const sessions = session({
    name,
    secret: deps.config.SESSION_SECRET,
    store: new PostgresSessionStore(deps.db, IDLE_TIMEOUT_MS),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { ...cookie, maxAge: IDLE_TIMEOUT_MS },
  });
  /**
   * Past the 12 hours the stored session goes and the visitor carries on signed out, in a new
   * empty session (stored only if something is put in it). A form sent then is answered with the
   * sign-in page: its token was the old session's, and the person must sign in again anyway.
   */
  const absoluteTimeout: RequestHandler = (req, res, next) => {
    const signedInAt = req.session?.signedInAt;
    if (!signedInAt || deps.clock.now().getTime() - signedInAt <= ABSOLUTE_TIMEOUT_MS) {
      return next();
    }
    req.session.regenerate((error) => {
      if (error) return next(error);
      res.clearCookie(name, cookie);
      if (req.method === 'GET' || req.method === 'HEAD') return next();
      res.redirect(303, url('signIn', {}, langOfPath(req.path) ?? 'en'));
    });
  };
  const run = (req: Request, res: Response, next: NextFunction) =>
    sessions(req, res, (error?: unknown) =>
      error ? next(error) : absoluteTimeout(req, res, next),
    );
  return {
    middleware(req, res, next) {
      const readOnly = req.method === 'GET' || req.method === 'HEAD';
      if (readOnly && !req.headers.cookie?.includes(`${name}=`)) return next();
      run(req, res, next);
    },
    ensure: (req, res) =>
      req.session
        ? Promise.resolve()
        : new Promise((resolve, reject) =>
            run(req, res, (e?: unknown) => (e ? reject(e) : resolve())),
          ),
  };
}

/** A new session id at sign-in, so a session fixed before it is worthless. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((e) => (e ? reject(e) : resolve())),
  );
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())));
}
