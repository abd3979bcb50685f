import type { AppDeps } from '../platform/deps.ts';
import type { Config } from '../config.ts';
import type { Lang } from '../platform/i18n.ts';
import {
  findUserByEmail,
  findUserByGithubId,
  findUserById,
  insertUser,
  updateUser,
} from './repo.ts';
import { endSessionsOf } from './session.ts';
import type { GithubIdentity } from './strategies/github.ts';

export type GithubSignInResult =
  | { ok: true; userId: number }
  | {
      ok: false;
      reason: 'staffAccount' | 'closed' | 'conflict' | 'noVerifiedEmail' | 'signInFirst';
    };

export type GithubLinkResult =
  { ok: true } | { ok: false; reason: 'failed' | 'githubTaken' | 'alreadyLinked' };

export const githubSignInEnabled = (config: Config) =>
  Boolean(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET);

/**
 * Finds the supplier of a GitHub account: by its id, else a new supplier account whose email
 * GitHub vouches for. Staff accounts sign in with their department account, never with GitHub.
 *
 * An existing account with GitHub's verified address is not entered that way when it has a
 * password and a confirmed address (H1): whoever set that password may not be the person GitHub
 * vouches for, so the person signs in with the password first and links GitHub from their account
 * page. An account whose address nobody proved before GitHub did becomes this person's: the
 * password typed at its sign-up (perhaps by someone else, in advance) stops working, and any
 * session of it ends.
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
      if (byEmail.email_confirmed_at && byEmail.password_hash) {
        return { ok: false, reason: 'signInFirst' };
      }
      await updateUser(trx, byEmail.id, {
        github_id: identity.id,
        email_confirmed_at: byEmail.email_confirmed_at ?? now,
        password_hash: null,
      });
      await endSessionsOf(trx, byEmail.id);
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

/**
 * Links a GitHub account to the signed-in supplier's, from their account page: being signed in
 * proves the account, GitHub proves the GitHub account, so the two addresses need not match.
 */
export async function linkGithub(
  deps: AppDeps,
  userId: number,
  identity: GithubIdentity,
): Promise<GithubLinkResult> {
  return deps.db.transaction(async (trx) => {
    const holder = await findUserByGithubId(trx, identity.id);
    if (holder) return holder.id === userId ? { ok: true } : { ok: false, reason: 'githubTaken' };
    const user = await findUserById(trx, userId);
    if (!user || user.kind !== 'supplier' || user.closed_at) return { ok: false, reason: 'failed' };
    if (user.github_id) return { ok: false, reason: 'alreadyLinked' };
    await updateUser(trx, userId, { github_id: identity.id });
    return { ok: true };
  });
}

/** Whether the supplier's account signs in with GitHub too (the account page offers the link). */
export async function hasGithub(deps: AppDeps, userId: number): Promise<boolean> {
  const row = await deps.db('users').where({ id: userId }).first('github_id');
  return Boolean(row?.github_id);
}
