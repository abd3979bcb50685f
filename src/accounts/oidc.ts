import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import {
  findUserByEmail,
  findUserByOidcSubject,
  insertUser,
  updateUser,
  type UserRow,
} from './repo.ts';
import { endSessionsOf } from './session.ts';
import type { StaffIdentity } from './strategies/staff-oidc.ts';

export type StaffSignInResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'supplierAccount' | 'closed' | 'conflict' | 'noVerifiedEmail' };

function refusalFor(user: UserRow): StaffSignInResult | undefined {
  if (user.kind !== 'staff') return { ok: false, reason: 'supplierAccount' };
  if (user.closed_at) return { ok: false, reason: 'closed' };
  return undefined;
}

/**
 * Finds the public servant the provider vouched for: by subject, else by email among staff
 * accounts (the subject is then recorded), else a new staff account without roles — a department
 * administrator grants them. Supplier and closed accounts are refused.
 *
 * An address links or creates an account only when the provider says it verified it (M4).
 * Linking needs no password first, unlike GitHub's: nobody can sign up as staff (an account is an
 * administrator's invitation to that address), and staff holding financial roles may not sign in
 * with a password at all once the provider is configured (M5). Instead the department's sign-in
 * replaces the password: it stops working, and the account's other sessions end.
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
    if (!identity.email || !identity.emailVerified) return { ok: false, reason: 'noVerifiedEmail' };
    const byEmail = await findUserByEmail(trx, identity.email);
    if (byEmail) {
      const refusal = refusalFor(byEmail);
      if (refusal) return refusal;
      if (byEmail.oidc_subject) return { ok: false, reason: 'conflict' };
      await updateUser(trx, byEmail.id, {
        oidc_subject: identity.subject,
        email_confirmed_at: byEmail.email_confirmed_at ?? now,
        password_hash: null,
      });
      if (byEmail.password_hash) await endSessionsOf(trx, byEmail.id);
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
