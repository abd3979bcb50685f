import type { Knex } from 'knex';
import { recordEvent } from '../lifecycle/events.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import { passwordMatches } from './passwords.ts';
import { findUserById } from './repo.ts';

/**
 * Who gets paid, and under which name and tax number (security review M7): a stolen session
 * must not be enough to change them, and the supplier hears of every change.
 */
const payeeFields = ['legalName', 'gstHstNumber', 'acceptsCard', 'paypalEmail'] as const;
export type PayeeField = (typeof payeeFields)[number];

export interface PayeeDetails {
  legalName: string;
  gstHstNumber: string | null;
  acceptsCard: boolean;
  paypalEmail: string | null;
}

/** A sign-in through GitHub proves the person for this long, for an account without a password. */
const RECENT_SIGN_IN_MS = 5 * 60 * 1000;

export function changedPayeeFields(before: PayeeDetails, after: PayeeDetails): PayeeField[] {
  return payeeFields.filter((field) => before[field] !== after[field]);
}

export type Proof =
  | { ok: true; by: 'password' | 'recentSignIn' }
  | { ok: false; reason: 'passwordNeeded' | 'wrongPassword' | 'signInAgain' };

/**
 * The person at the keyboard is the account's owner: they typed its current password or, for an
 * account that has none (GitHub only), they signed in within the last five minutes.
 */
export async function proveOwner(
  deps: AppDeps,
  userId: number,
  given: { password: string | undefined; signedInAt: number | undefined },
): Promise<Proof> {
  const user = await findUserById(deps.db, userId);
  if (user?.password_hash) {
    if (!given.password) return { ok: false, reason: 'passwordNeeded' };
    return (await passwordMatches(user.password_hash, given.password))
      ? { ok: true, by: 'password' }
      : { ok: false, reason: 'wrongPassword' };
  }
  const sinceSignIn =
    given.signedInAt === undefined ? Infinity : deps.clock.now().getTime() - given.signedInAt;
  return sinceSignIn <= RECENT_SIGN_IN_MS
    ? { ok: true, by: 'recentSignIn' }
    : { ok: false, reason: 'signInAgain' };
}

/** Who is told: the account's own address, and the PayPal addresses payments leave and go to. */
type Recipient = 'account' | 'oldPaypal' | 'newPaypal';

function recipientsOf(
  accountEmail: string,
  before: PayeeDetails,
  after: PayeeDetails,
): { to: string; recipient: Recipient }[] {
  const candidates: { to: string | null; recipient: Recipient }[] = [
    { to: accountEmail, recipient: 'account' },
    ...(before.paypalEmail !== after.paypalEmail
      ? [
          { to: before.paypalEmail, recipient: 'oldPaypal' as const },
          { to: after.paypalEmail, recipient: 'newPaypal' as const },
        ]
      : []),
  ];
  const seen = new Set<string>();
  return candidates.flatMap(({ to, recipient }) => {
    if (!to || seen.has(to.toLowerCase())) return [];
    seen.add(to.toLowerCase());
    return [{ to, recipient }];
  });
}

/**
 * The change as an audit event (the field names only: the values are personal details that
 * closing the account removes) and a notice to each address concerned, in the same transaction.
 */
export async function recordPayeeChange(
  trx: Knex.Transaction,
  deps: AppDeps,
  change: {
    userId: number;
    fields: PayeeField[];
    proof: 'password' | 'recentSignIn';
    before: PayeeDetails;
    after: PayeeDetails;
    language: Lang;
    at: Date;
  },
): Promise<void> {
  const eventId = await recordEvent(trx, {
    entityType: 'user',
    entityId: change.userId,
    opportunityId: null,
    departmentId: null,
    action: 'change_payee_details',
    actorId: change.userId,
    at: change.at,
    payload: { fields: change.fields, proof: change.proof },
  });
  const user = await findUserById(trx, change.userId);
  if (!user) return;
  const both = (page: 'profile' | 'forgotPassword') => ({
    en: deps.config.PUBLIC_URL + url(page, {}, 'en'),
    fr: deps.config.PUBLIC_URL + url(page, {}, 'fr'),
  });
  for (const { to, recipient } of recipientsOf(user.email, change.before, change.after)) {
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `payee-details-changed:${eventId}:${recipient}`,
        template: 'payee-details-changed',
        to,
        language: change.language,
        data: {
          recipient,
          fields: change.fields,
          at: { en: formatDeadline(change.at, 'en'), fr: formatDeadline(change.at, 'fr') },
          link: both('profile'),
          resetLink: both('forgotPassword'),
        },
      },
      change.at,
    );
  }
}
