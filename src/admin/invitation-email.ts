import type { Knex } from 'knex';
import { findUserById } from '../accounts/repo.ts';
import { issueToken } from '../accounts/tokens.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import type { Role } from '../platform/roles.ts';
import { url } from '../platform/routes.ts';
import type { DepartmentRow } from './repo.ts';

const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Tells a person of their role in the department: a link to choose a password when they have
 * none yet (a fresh one each time), else a link to sign in. `key` makes it one email per grant.
 */
export async function sendInvitation(
  trx: Knex.Transaction,
  deps: AppDeps,
  department: DepartmentRow,
  invitee: { userId: number; role: Role; key: string },
  now: Date,
): Promise<void> {
  const user = await findUserById(trx, invitee.userId);
  if (!user) return;
  const needsPassword = !user.password_hash;
  const token = needsPassword
    ? await issueToken(trx, user.id, 'invitation', now, INVITATION_LIFETIME_MS)
    : undefined;
  const link = (lang: Lang) =>
    deps.config.PUBLIC_URL +
    (token ? url('acceptInvitation', { token }, lang) : url('signIn', {}, lang));
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `staff-invitation:${invitee.key}`,
      template: 'staff-invitation',
      to: user.email,
      language: user.preferred_language,
      data: {
        department: { en: department.name_en, fr: department.name_fr },
        role: invitee.role,
        newAccount: needsPassword,
        link: { en: link('en'), fr: link('fr') },
      },
    },
    now,
  );
}
