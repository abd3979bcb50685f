import * as oidc from 'openid-client';
import type { AppDeps } from '../platform/deps.ts';
import type { Config } from '../config.ts';
import type { Lang } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import {
  findUserByEmail,
  findUserByOidcSubject,
  insertUser,
  updateUser,
  type UserRow,
} from './repo.ts';

/** What the department's identity provider says about the person, once the response checks out. */
export interface StaffIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean | undefined;
  name: string | undefined;
}

/** Kept in the session between the redirect to the provider and the person's return. */
interface PendingStaffSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type StaffSignInResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'supplierAccount' | 'closed' | 'conflict' | 'noVerifiedEmail' };

interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
}

function oidcSettings(config: Config): OidcSettings | undefined {
  const { OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = config;
  if (!OIDC_ISSUER_URL || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: new URL(OIDC_ISSUER_URL),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
  };
}

/** Both languages' callbacks must be registered with the provider as redirect URIs. */
const staffCallbackUrl = (config: Config, lang: Lang) =>
  config.PUBLIC_URL + url('staffSignInCallback', {}, lang);

export interface StaffOidc {
  /** Where to send the person, and what to keep in their session until they come back. */
  start(lang: Lang): Promise<{ redirectTo: URL; pending: PendingStaffSignIn }>;
  /** Checks the response (state, PKCE, ID token and nonce), exchanges the code, reads the claims. */
  finish(lang: Lang, query: string, pending: PendingStaffSignIn): Promise<StaffIdentity>;
}

/**
 * The client for the identity provider. Its metadata is discovered at the first sign-in, not at
 * start-up, so the site starts even when the provider is down; a failed discovery is tried again.
 */
export function createStaffOidc(config: Config): StaffOidc | undefined {
  const settings = oidcSettings(config);
  if (!settings) return undefined;
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
        // A provider on plain http is only ever a test or development one; config.ts refuses it
        // in production.
        execute: settings.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  return {
    async start(lang) {
      const pending = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const redirectTo = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: staffCallbackUrl(config, lang),
        scope: 'openid email profile',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        ui_locales: `${lang}-CA`,
      });
      return { redirectTo, pending };
    },

    async finish(lang, query, pending) {
      const client = await configuration();
      const current = new URL(staffCallbackUrl(config, lang));
      current.search = query;
      const tokens = await oidc.authorizationCodeGrant(client, current, {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new oidc.ClientError('no ID token in the token response');
      // Providers often keep the ID token small and give the email from the UserInfo endpoint.
      const claims =
        typeof idToken.email === 'string'
          ? idToken
          : { ...(await oidc.fetchUserInfo(client, tokens.access_token, idToken.sub)), ...idToken };
      return {
        subject: idToken.sub,
        email: typeof claims.email === 'string' ? claims.email.trim() : undefined,
        emailVerified:
          typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
        name: typeof claims.name === 'string' ? claims.name.trim() : undefined,
      };
    },
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

function refusalFor(user: UserRow): StaffSignInResult | undefined {
  if (user.kind !== 'staff') return { ok: false, reason: 'supplierAccount' };
  if (user.closed_at) return { ok: false, reason: 'closed' };
  return undefined;
}

/**
 * Finds the public servant the provider vouched for: by subject, else by email among staff
 * accounts (the subject is then recorded), else a new staff account without roles — a department
 * administrator grants them. Supplier and closed accounts are refused.
 */
export async function signInStaff(
  deps: AppDeps,
  identity: StaffIdentity,
  lang: Lang,
): Promise<StaffSignInResult> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const known = await findUserByOidcSubject(trx, identity.subject);
    if (known) return refusalFor(known) ?? { ok: true, userId: known.id };
    // An address the provider has not checked could belong to anyone: never link or create on it.
    if (!identity.email || identity.emailVerified === false) {
      return { ok: false, reason: 'noVerifiedEmail' };
    }
    const byEmail = await findUserByEmail(trx, identity.email);
    if (byEmail) {
      const refusal = refusalFor(byEmail);
      if (refusal) return refusal;
      if (byEmail.oidc_subject) return { ok: false, reason: 'conflict' };
      await updateUser(trx, byEmail.id, {
        oidc_subject: identity.subject,
        email_confirmed_at: byEmail.email_confirmed_at ?? now,
      });
      return { ok: true, userId: byEmail.id };
    }
    const userId = await insertUser(trx, {
      email: identity.email,
      kind: 'staff',
      displayName: identity.name ?? '',
      language: lang,
      emailConfirmedAt: now,
      oidcSubject: identity.subject,
    });
    return { ok: true, userId };
  });
}
