import type { RequestHandler } from 'express';
import session from 'express-session';
import type { AppDeps } from '../app.ts';
import { PostgresSessionStore } from './session-store.ts';

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    signedInAt?: number;
  }
}

export function sessionMiddleware(deps: AppDeps): RequestHandler[] {
  const production = deps.config.NODE_ENV === 'production';
  const sessions = session({
    name: production ? '__Host-session' : 'session',
    secret: deps.config.SESSION_SECRET,
    store: new PostgresSessionStore(deps.db, IDLE_TIMEOUT_MS),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      maxAge: IDLE_TIMEOUT_MS,
      path: '/',
    },
  });
  const absoluteTimeout: RequestHandler = (req, _res, next) => {
    const signedInAt = req.session?.signedInAt;
    if (signedInAt && deps.clock.now().getTime() - signedInAt > ABSOLUTE_TIMEOUT_MS) {
      req.session.destroy((error) => next(error));
      return;
    }
    next();
  };
  return [sessions, absoluteTimeout];
}

/** A new session id at sign-in, so a session fixed before it is worthless. */
export function regenerateSession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((e) => (e ? reject(e) : resolve())),
  );
}

export function destroySession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())));
}
