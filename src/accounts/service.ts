import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { hashPassword, passwordMatches } from './passwords.ts';
import {
  clearFailures,
  findUserByEmail,
  findUserById,
  setPasswordFromLink,
  type UserRow,
} from './repo.ts';
import { mustUseDepartmentSignIn } from './department-sign-in.ts';
import { recipientHasRoom } from './email-limit.ts';
import { takeSignInAttempt } from './sign-in-throttle.ts';
import { deleteExpiredSignUps } from './sign-up-expiry.ts';
import { consumeToken, issueToken, tokenHolder } from './tokens.ts';
import { endSessionsOf } from './session.ts';

const CONFIRM_LIFETIME_MS = 48 * 60 * 60 * 1000;
const RESET_LIFETIME_MS = 60 * 60 * 1000;

const emailKey = (email: string) => email.trim().toLowerCase();

function link(deps: AppDeps, page: 'confirmEmail' | 'resetPassword', token: string, lang: Lang) {
  return deps.config.PUBLIC_URL + url(page, { token }, lang);
}

/**
 * Creates a supplier account and sends the confirmation link. When the address already has an
 * account, that person is told by email instead: the page says the same either way, so nobody
 * can learn from it who has an account. A sign-up whose link expired unused no longer holds the
 * address. Each address gets at most a few of these emails an hour, however many requests.
 */
export async function signUp(
  deps: AppDeps,
  input: { email: string; password: string; language: Lang },
): Promise<void> {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (trx) => {
    // One sign-up of an address at a time: two sent at once would both find no account, and the
    // second would meet the unique address instead of the account-exists path.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [
      `sign-up:${emailKey(input.email)}`,
    ]);
    await deleteExpiredSignUps(trx, now, input.email);
    const existing = await findUserByEmail(trx, input.email);
    if (existing) {
      if (!(await recipientHasRoom(trx, 'account-exists', existing.email, now))) return;
      await enqueueEmail(
        trx,
        {
          idempotencyKey: `account-exists:${existing.id}:${now.toISOString()}`,
          template: 'account-exists',
          to: existing.email,
          language: existing.preferred_language,
          data: {
            link: {
              en: deps.config.PUBLIC_URL + url('signIn', {}, 'en'),
              fr: deps.config.PUBLIC_URL + url('signIn', {}, 'fr'),
            },
          },
        },
        now,
      );
      return;
    }
    if (!(await recipientHasRoom(trx, 'confirm-email', input.email, now))) return;
    const [user] = await trx('users')
      .insert({
        email: input.email.trim(),
        kind: 'supplier',
        password_hash: passwordHash,
        preferred_language: input.language,
        created_at: now,
      })
      .returning('id');
    await trx('supplier_profiles').insert({ user_id: user.id });
    const token = await issueToken(trx, user.id, 'confirm_email', now, CONFIRM_LIFETIME_MS);
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `confirm-email:${user.id}:${now.toISOString()}`,
        template: 'confirm-email',
        to: input.email.trim(),
        language: input.language,
        data: {
          link: {
            en: link(deps, 'confirmEmail', token, 'en'),
            fr: link(deps, 'confirmEmail', token, 'fr'),
          },
        },
      },
      now,
    );
  });
}

/** Whether a confirmation link still works; reading it (a mail scanner, a preview) uses nothing. */
export async function confirmationLinkWorks(deps: AppDeps, token: string): Promise<boolean> {
  return (await tokenHolder(deps.db, token, 'confirm_email', deps.clock.now())) !== undefined;
}

/**
 * Confirms the address when the person presses the button of the link's page (a POST: mail
 * scanners follow links, they do not submit forms), typing the password chosen at sign-up. The
 * password makes the mailbox's owner and the sign-up's author the same person: someone who
 * receives a link for an account they never created cannot confirm a stranger's password into
 * it (H1); a wrong password uses nothing. An expired link is refused: its sign-up is deleted by
 * the expiry job, and the address is free for a new one.
 */
export async function confirmEmail(
  deps: AppDeps,
  token: string,
  password: string,
): Promise<'confirmed' | 'invalid' | 'wrongPassword'> {
  const now = deps.clock.now();
  const holder = await tokenHolder(deps.db, token, 'confirm_email', now);
  const user = holder === undefined ? undefined : await findUserById(deps.db, holder);
  if (!user) return 'invalid';
  if (!(await passwordMatches(user.password_hash, password))) return 'wrongPassword';
  return deps.db.transaction(async (trx) => {
    const userId = await consumeToken(trx, token, 'confirm_email', now);
    if (!userId) return 'invalid';
    await trx('users')
      .where({ id: userId })
      .whereNull('email_confirmed_at')
      .update({ email_confirmed_at: now });
    return 'confirmed';
  });
}

export type SignInRefusal =
  | { reason: 'invalid' | 'unconfirmed' | 'departmentSignIn' }
  | { reason: 'tooSoon'; waitSeconds: number };
export type SignInResult = { ok: true; user: UserRow } | ({ ok: false } & SignInRefusal);

/**
 * Checks a password. Every attempt runs one argon2 verification, whether or not the address has
 * an account (L2), unless the address must wait after repeated failures (L1). The department's
 * financial staff are told to use its sign-in once their password is known to be right (M5), so
 * the refusal tells nothing to someone who does not know it.
 */
export async function signIn(
  deps: AppDeps,
  input: { email: string; password: string },
): Promise<SignInResult> {
  const key = emailKey(input.email);
  const attempt = await takeSignInAttempt(deps.db, key, deps.clock.now());
  if (!attempt.allowed) return { ok: false, reason: 'tooSoon', waitSeconds: attempt.waitSeconds };
  const user = await findUserByEmail(deps.db, input.email);
  const matches = await passwordMatches(user?.password_hash ?? null, input.password);
  if (!user || !matches || user.closed_at) return { ok: false, reason: 'invalid' };
  await clearFailures(deps.db, key);
  if (!user.email_confirmed_at) return { ok: false, reason: 'unconfirmed' };
  if (await mustUseDepartmentSignIn(deps.config, deps.db, user.id)) {
    return { ok: false, reason: 'departmentSignIn' };
  }
  return { ok: true, user };
}

/**
 * Sends a reset link if the address has an open account, at most a few an hour; the page says
 * the same either way. Someone who must use the department's sign-in (M5) gets no link: their
 * email says where to sign in instead, so the person who asked is not left waiting for a link
 * that will not come, and only the mailbox's owner learns it.
 */
export async function requestPasswordReset(deps: AppDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user || user.closed_at) return;
    const departmentSignIn = await mustUseDepartmentSignIn(deps.config, trx, user.id);
    const template = departmentSignIn ? 'department-sign-in' : 'reset-password';
    if (!(await recipientHasRoom(trx, template, user.email, now))) return;
    const links = departmentSignIn
      ? {
          en: deps.config.PUBLIC_URL + url('staffSignIn', {}, 'en'),
          fr: deps.config.PUBLIC_URL + url('staffSignIn', {}, 'fr'),
        }
      : await issueToken(trx, user.id, 'reset_password', now, RESET_LIFETIME_MS).then((token) => ({
          en: link(deps, 'resetPassword', token, 'en'),
          fr: link(deps, 'resetPassword', token, 'fr'),
        }));
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `${template}:${user.id}:${now.toISOString()}`,
        template,
        to: user.email,
        language: user.preferred_language,
        data: { link: links },
      },
      now,
    );
  });
}

/** What a reset link allows now: a new password, only the department's sign-in (M5), or nothing. */
export type ResetLinkState = 'usable' | 'departmentSignIn' | 'invalid';

export async function resetLinkState(deps: AppDeps, token: string): Promise<ResetLinkState> {
  const userId = await tokenHolder(deps.db, token, 'reset_password', deps.clock.now());
  if (userId === undefined) return 'invalid';
  const departmentSignIn = await mustUseDepartmentSignIn(deps.config, deps.db, userId);
  return departmentSignIn ? 'departmentSignIn' : 'usable';
}

/**
 * Sets a new password from a valid link; every session of that person ends. The link is looked
 * at before the password is hashed, so a made-up one costs no argon2 run (L3). The click proves
 * the address: an account never confirmed is confirmed now, and the password typed at its
 * sign-up, by whoever typed the address, is gone.
 */
export async function resetPassword(
  deps: AppDeps,
  token: string,
  password: string,
): Promise<'reset' | Exclude<ResetLinkState, 'usable'>> {
  const state = await resetLinkState(deps, token);
  if (state !== 'usable') return state;
  const now = deps.clock.now();
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (trx) => {
    const userId = await consumeToken(trx, token, 'reset_password', now);
    if (!userId) return 'invalid';
    await setPasswordFromLink(trx, userId, passwordHash, 'reset_password', now);
    await endSessionsOf(trx, userId);
    const user = await trx('users').where({ id: userId }).first('email');
    await clearFailures(trx, emailKey(user.email));
    return 'reset';
  });
}
