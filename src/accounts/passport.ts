import type { Request, Response } from 'express';
import passport from 'passport';

/**
 * passport proves who someone is, one strategy per way in (strategies/); the session stays ours.
 * Each app builds its own authenticator, so two apps in one process never share strategies.
 * No passport.session(), no req.login(): startSignedInSession() writes the person's id into our
 * session, and loadCurrentUser() reads the person once per request. Those two are what
 * serializeUser and deserializeUser would be.
 */
export type Authenticator = passport.Authenticator;

export const newAuthenticator = (): Authenticator => new passport.Passport();

/** What a strategy made of the request. */
export type Outcome<User> =
  /** Send the person to the provider; the strategy put what it must check later in the session. */
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: User; info: unknown }
  | { kind: 'fail'; info: unknown }
  | { kind: 'error'; error: unknown };

/**
 * Runs a strategy on this request, with no passport session. The route answers; a redirect
 * comes back as an outcome too, so the route can store the session before the browser leaves.
 */
export function authenticate<User>(
  authenticator: Authenticator,
  strategy: string,
  req: Request,
  res: Response,
  options: object = {},
): Promise<Outcome<User>> {
  return new Promise((resolve) => {
    const redirectTo = (url: string) => resolve({ kind: 'redirect', url });
    const middleware = authenticator.authenticate(
      strategy,
      { ...options, session: false, redirectTo } as passport.AuthenticateOptions,
      (error: unknown, user: User | false | undefined, info: unknown) => {
        if (error) resolve({ kind: 'error', error });
        else if (user) resolve({ kind: 'success', user, info });
        else resolve({ kind: 'fail', info });
      },
    ) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
    middleware(req, res, (error) =>
      resolve({ kind: 'error', error: error ?? new Error(`${strategy} passed the request on`) }),
    );
  });
}

/**
 * A strategy redirects by ending the response itself, and express-session would then store the
 * session while the browser is already on its way (and back, with a fast provider). Our
 * strategies call this first, so that they hand the address to authenticate() instead.
 */
export function handRedirectsToRoute(
  strategy: { redirect(url: string, status?: number): void },
  options: unknown,
): void {
  const redirectTo = (options as { redirectTo?: (url: string) => void } | undefined)?.redirectTo;
  if (redirectTo) strategy.redirect = redirectTo;
}
