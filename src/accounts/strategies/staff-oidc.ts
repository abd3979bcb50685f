import type { Request } from 'express';
import * as oidc from 'openid-client';
import { Strategy, type AuthenticateOptions, type VerifyFunction } from 'openid-client/passport';
import type passport from 'passport';
import type { Config } from '../../config.ts';
import { staffSignInConfigured } from '../department-sign-in.ts';
import { handRedirectsToRoute, type Authenticator } from '../passport.ts';

export const STAFF_STRATEGY = 'staff';

/** What the department's identity provider says about the person, once the response checks out. */
export interface StaffIdentity {
  subject: string;
  email: string | undefined;
  /** The provider vouches for the address: the configured claim (email_verified) is `true`. */
  emailVerified: boolean;
  name: string | undefined;
}

declare module 'express-session' {
  interface SessionData {
    /** openid-client's record of a sign-in sent to the provider, checked once on the way back. */
    staffSignIn?: { code_verifier: string; state?: string; nonce?: string; max_age?: number };
    /** Where to return after it. */
    staffSignInNext?: string;
  }
}

/** What the routes pass to passport.authenticate() for this strategy. */
export interface StaffAuthenticateOptions extends AuthenticateOptions {
  /** This request starts a sign-in (the callback never does, whatever its query says). */
  start?: boolean;
  uiLocales?: string;
}

/**
 * openid-client's passport strategy, which checks the response, the PKCE verifier (S256) and the
 * ID token. It sends a state and a nonce only when PKCE alone is not supported; this site sends
 * all three, whatever the provider.
 */
class StaffOidcStrategy extends Strategy {
  override authorizationRequestParams<T extends AuthenticateOptions>(req: Request, options: T) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', oidc.randomState());
    params.set('nonce', oidc.randomNonce());
    const { uiLocales } = options as StaffAuthenticateOptions;
    if (uiLocales) params.set('ui_locales', uiLocales);
    return params;
  }

  override shouldInitiateAuthRequest<T extends AuthenticateOptions>(
    _req: Request,
    _currentUrl: URL,
    options: T,
  ): boolean {
    return (options as StaffAuthenticateOptions).start === true;
  }

  override authenticate<T extends AuthenticateOptions>(
    this: passport.StrategyCreated<Strategy, Strategy & passport.StrategyCreatedStatic>,
    req: Request,
    options: T,
  ): void {
    handRedirectsToRoute(this, options);
    super.authenticate(req, options);
  }
}

async function identityOf(
  configuration: oidc.Configuration,
  tokens: Parameters<VerifyFunction>[0],
  verifiedClaim: string,
): Promise<StaffIdentity> {
  const idToken = tokens.claims();
  if (!idToken) throw new oidc.ClientError('no ID token in the token response');
  // Providers often keep the ID token small and give the rest from the UserInfo endpoint.
  const claims =
    typeof idToken.email === 'string' && verifiedClaim in idToken
      ? idToken
      : {
          ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)),
          ...idToken,
        };
  return {
    subject: idToken.sub,
    email: typeof claims.email === 'string' ? claims.email.trim() : undefined,
    emailVerified: claims[verifiedClaim] === true,
    name: typeof claims.name === 'string' ? claims.name.trim() : undefined,
  };
}

/**
 * Registers the staff strategy with `authenticator` once the provider's metadata is known. It
 * is discovered at the first sign-in, not at start-up, so the site starts even when the
 * provider is down; a failed discovery is tried again at the next sign-in. Undefined when staff
 * sign-in is not configured.
 */
export function staffStrategyLoader(
  config: Config,
  authenticator: Authenticator,
): (() => Promise<void>) | undefined {
  if (!staffSignInConfigured(config)) return undefined;
  const issuer = new URL(config.OIDC_ISSUER_URL ?? '');
  let loaded: Promise<void> | undefined;
  return () => {
    loaded ??= oidc
      .discovery(issuer, config.OIDC_CLIENT_ID ?? '', config.OIDC_CLIENT_SECRET, undefined, {
        // A provider on plain http is only ever a test or development one; config.ts refuses it
        // in production.
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .then((configuration) => {
        const verify: VerifyFunction = (tokens, verified) => {
          identityOf(configuration, tokens, config.OIDC_VERIFIED_CLAIM).then(
            (identity) => verified(null, identity),
            (error: unknown) => verified(error),
          );
        };
        const strategy = new StaffOidcStrategy(
          {
            config: configuration,
            name: STAFF_STRATEGY,
            sessionKey: 'staffSignIn',
            scope: 'openid email profile',
          },
          verify,
        );
        authenticator.use(STAFF_STRATEGY, strategy);
      })
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return loaded;
  };
}

/** An error the provider or the person's browser caused, as opposed to the provider being down. */
export function isOidcProtocolError(error: unknown): boolean {
  return (
    error instanceof oidc.ClientError ||
    error instanceof oidc.AuthorizationResponseError ||
    error instanceof oidc.ResponseBodyError ||
    error instanceof oidc.WWWAuthenticateChallengeError
  );
}
