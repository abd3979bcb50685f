import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import OAuth2Strategy from 'passport-oauth2';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { handRedirectsToRoute } from '../passport.ts';

export const GITHUB_STRATEGY = 'github';

/** The GitHub account, with its primary email address when GitHub has verified it. */
export interface GithubIdentity {
  id: string;
  login: string;
  name: string | undefined;
  verifiedEmail: string | undefined;
}

/** Why a GitHub round trip started: to sign in (and where to return), or to link an account. */
export type GithubPurpose = { signIn: true; next?: string } | { linkTo: number };

declare module 'express-session' {
  interface SessionData {
    /** A round trip to GitHub, checked once when the person comes back. */
    githubSignIn?: { state: string; codeVerifier: string; purpose: GithubPurpose };
  }
}

/** GitHub said no: a wrong or used code, a revoked token, an answer of the wrong shape. */
class GithubRefusal extends Error {}

const TIMEOUT_MS = 10_000;

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * passport-oauth2's session store keeps the state and the PKCE verifier too, but compares the
 * state with `!==`; this one compares in constant time and keeps why the round trip started.
 * (passport-oauth2 calls store() with five arguments and verify() with three.)
 */
const sessionStateStore = {
  store(
    req: Request,
    codeVerifier: string,
    purpose: GithubPurpose,
    _meta: unknown,
    callback: (error: Error | null, state?: string) => void,
  ) {
    const state = randomBytes(32).toString('base64url');
    req.session.githubSignIn = { state, codeVerifier, purpose };
    callback(null, state);
  },
  verify(
    req: Request,
    given: unknown,
    callback: (error: Error | null, codeVerifier: string | false, purpose?: unknown) => void,
  ) {
    const pending = req.session.githubSignIn;
    delete req.session.githubSignIn;
    if (!pending || !sameSecret(pending.state, given)) return callback(null, false);
    callback(null, pending.codeVerifier, pending.purpose);
  },
};

const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1) }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);
const userAnswer = z.object({
  id: z.number().int().positive(),
  login: z.string().min(1),
  name: z.string().nullish(),
});
const emailsAnswer = z.array(
  z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

async function readJson<S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> {
  if (!response.ok) throw new GithubRefusal(`GitHub answered ${response.status} ${response.url}`);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new GithubRefusal(`unexpected answer from ${response.url}`);
  return parsed.data;
}

/**
 * GitHub through passport-oauth2: state and PKCE (S256) in our session, the code exchanged with
 * the verifier, then the account and its verified primary address read from the API. The base
 * URLs come from the configuration, so tests point them at a fake GitHub.
 */
class GithubStrategy extends OAuth2Strategy {
  constructor(private readonly config: Config) {
    const tokenUrl = new URL('/login/oauth/access_token', config.GITHUB_BASE_URL);
    super(
      {
        authorizationURL: new URL('/login/oauth/authorize', config.GITHUB_BASE_URL).href,
        tokenURL: tokenUrl.href,
        clientID: config.GITHUB_CLIENT_ID ?? '',
        clientSecret: config.GITHUB_CLIENT_SECRET ?? '',
        scope: 'read:user user:email',
        pkce: true,
        state: true,
        store: sessionStateStore as unknown as OAuth2Strategy.StateStore,
      },
      (
        _accessToken: string,
        _refreshToken: string,
        identity: GithubIdentity,
        done: OAuth2Strategy.VerifyCallback,
      ) => done(null, identity),
    );
    this.name = GITHUB_STRATEGY;
    // GitHub answers a refused code with a 200 and an error field, and the oauth library has no
    // timeout: the code is exchanged here, with the parameters passport-oauth2 chose.
    const exchange = (
      code: string,
      params: Record<string, string>,
      callback: (
        error: unknown,
        accessToken?: string,
        refreshToken?: string,
        results?: object,
      ) => void,
    ) => {
      const body = new URLSearchParams({
        ...params,
        client_id: config.GITHUB_CLIENT_ID ?? '',
        client_secret: config.GITHUB_CLIENT_SECRET ?? '',
        code,
      });
      fetch(tokenUrl, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
        .then((response) => readJson(response, tokenAnswer))
        .then((token) => {
          if ('error' in token) throw new GithubRefusal(`GitHub refused the code: ${token.error}`);
          callback(null, token.access_token, '', token);
        })
        .catch((error: unknown) => callback(error));
    };
    this._oauth2.getOAuthAccessToken = exchange as never;
  }

  override authenticate(req: Request, options?: object): void {
    handRedirectsToRoute(this as unknown as Parameters<typeof handRedirectsToRoute>[0], options);
    super.authenticate(req, options);
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void) {
    const api = (path: string) =>
      fetch(new URL(path, this.config.GITHUB_API_URL), {
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${accessToken}`,
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'micro-acquisition-marketplace',
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    Promise.all([
      api('/user').then((r) => readJson(r, userAnswer)),
      api('/user/emails').then((r) => readJson(r, emailsAnswer)),
    ]).then(([user, emails]) => {
      const primary = emails.find((e) => e.primary && e.verified);
      const identity: GithubIdentity = {
        id: String(user.id),
        login: user.login,
        name: user.name?.trim() || undefined,
        verifiedEmail: primary?.email.trim(),
      };
      done(null, identity);
    }, done);
  }
}

export const githubStrategy = (config: Config) => new GithubStrategy(config);

/** GitHub (or the person) said no, as opposed to GitHub being unreachable. */
export function isGithubRefusal(error: unknown): boolean {
  const cause = error instanceof OAuth2Strategy.InternalOAuthError ? error.oauthError : error;
  return (
    cause instanceof GithubRefusal ||
    error instanceof OAuth2Strategy.AuthorizationError ||
    error instanceof OAuth2Strategy.TokenError
  );
}
