import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../platform/deps.ts';
import type { Config } from '../config.ts';
import type { Lang } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import { findUserByEmail, findUserByGithubId, insertUser, updateUser } from './repo.ts';

/** The GitHub account, with its primary email address when GitHub has verified it. */
export interface GithubIdentity {
  id: string;
  login: string;
  name: string | undefined;
  verifiedEmail: string | undefined;
}

export type GithubSignInResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'staffAccount' | 'closed' | 'conflict' | 'noVerifiedEmail' };

/** GitHub said no: a wrong or used code, a revoked token, an answer of the wrong shape. */
export class GithubRefusal extends Error {}

export const githubSignInEnabled = (config: Config) =>
  Boolean(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET);

/**
 * An OAuth app's redirect URIs must sit under its one registered callback URL, so register
 * PUBLIC_URL itself: both languages' callbacks are under it.
 */
const githubCallbackUrl = (config: Config, lang: Lang) =>
  config.PUBLIC_URL + url('githubCallback', {}, lang);

export const newGithubState = () => randomBytes(32).toString('base64url');

export function githubAuthorizationUrl(config: Config, lang: Lang, state: string): URL {
  const target = new URL('/login/oauth/authorize', config.GITHUB_BASE_URL);
  target.search = new URLSearchParams({
    client_id: config.GITHUB_CLIENT_ID ?? '',
    redirect_uri: githubCallbackUrl(config, lang),
    scope: 'read:user user:email',
    state,
  }).toString();
  return target;
}

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

const TIMEOUT_MS = 10_000;

async function readJson<S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> {
  if (!response.ok) throw new GithubRefusal(`GitHub answered ${response.status} ${response.url}`);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new GithubRefusal(`unexpected answer from ${response.url}`);
  return parsed.data;
}

/** Exchanges the code from the callback for a token, then reads the account and its emails. */
export async function githubIdentity(
  config: Config,
  lang: Lang,
  code: string,
): Promise<GithubIdentity> {
  const token = await readJson(
    await fetch(new URL('/login/oauth/access_token', config.GITHUB_BASE_URL), {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams({
        client_id: config.GITHUB_CLIENT_ID ?? '',
        client_secret: config.GITHUB_CLIENT_SECRET ?? '',
        code,
        redirect_uri: githubCallbackUrl(config, lang),
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
    tokenAnswer,
  );
  // GitHub reports a bad code with a 200 and an error field.
  if ('error' in token) throw new GithubRefusal(`GitHub refused the code: ${token.error}`);
  const api = (path: string) =>
    fetch(new URL(path, config.GITHUB_API_URL), {
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${token.access_token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'micro-acquisition-marketplace',
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  const [user, emails] = await Promise.all([
    api('/user').then((r) => readJson(r, userAnswer)),
    api('/user/emails').then((r) => readJson(r, emailsAnswer)),
  ]);
  const primary = emails.find((e) => e.primary && e.verified);
  return {
    id: String(user.id),
    login: user.login,
    name: user.name?.trim() || undefined,
    verifiedEmail: primary?.email.trim(),
  };
}

/**
 * Finds the supplier of a GitHub account: by its id, else by its verified primary email among
 * suppliers (the id is then recorded), else a new supplier account whose email GitHub vouches for.
 * Staff accounts sign in with their department account, never with GitHub.
 */
export async function signInWithGithub(
  deps: AppDeps,
  identity: GithubIdentity,
  lang: Lang,
): Promise<GithubSignInResult> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const known = await findUserByGithubId(trx, identity.id);
    if (known) {
      if (known.kind !== 'supplier') return { ok: false, reason: 'staffAccount' };
      if (known.closed_at) return { ok: false, reason: 'closed' };
      return { ok: true, userId: known.id };
    }
    if (!identity.verifiedEmail) return { ok: false, reason: 'noVerifiedEmail' };
    const byEmail = await findUserByEmail(trx, identity.verifiedEmail);
    if (byEmail) {
      if (byEmail.kind !== 'supplier') return { ok: false, reason: 'staffAccount' };
      if (byEmail.closed_at) return { ok: false, reason: 'closed' };
      if (byEmail.github_id) return { ok: false, reason: 'conflict' };
      await updateUser(trx, byEmail.id, {
        github_id: identity.id,
        email_confirmed_at: byEmail.email_confirmed_at ?? now,
        // A password chosen at a sign-up nobody confirmed may be someone else's, set in advance
        // on this address: the person GitHub vouches for does not inherit it.
        ...(byEmail.email_confirmed_at ? {} : { password_hash: null }),
      });
      return { ok: true, userId: byEmail.id };
    }
    const userId = await insertUser(trx, {
      email: identity.verifiedEmail,
      kind: 'supplier',
      displayName: identity.name ?? identity.login,
      language: lang,
      emailConfirmedAt: now,
      githubId: identity.id,
    });
    await trx('supplier_profiles').insert({ user_id: userId });
    return { ok: true, userId };
  });
}
