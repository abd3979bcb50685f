import { z } from 'zod';
import { roles, type Role } from '../platform/roles.ts';
import { CAP_CENTS, parseDollars } from '../platform/money.ts';
import { isCardPayment, type PaymentMethod } from '../platform/payment-methods.ts';
import { email } from '../accounts/schemas.ts';

/** The delegated limit a role needs: required and within the cap for section 32, else none. */
function delegatedLimit(
  role: Role,
  typed: string,
  field: string,
  ctx: z.RefinementCtx,
): number | null {
  if (role !== 'section32_manager') return null;
  if (typed.trim() === '') {
    ctx.addIssue({ code: 'custom', path: [field], message: 'admin.errors.limitRequired' });
    return null;
  }
  const cents = parseDollars(typed);
  if (cents === undefined) {
    ctx.addIssue({ code: 'custom', path: [field], message: 'admin.errors.limitFormat' });
    return null;
  }
  if (cents <= 0 || cents > CAP_CENTS) {
    ctx.addIssue({ code: 'custom', path: [field], message: 'admin.errors.limitRange' });
    return null;
  }
  return cents;
}

/**
 * The delegation instrument a section 32 grant rests on (the delegation matrix and its item,
 * say): required for that role, kept with the grant; ignored for the others.
 */
function delegationReference(
  role: Role,
  typed: string,
  field: string,
  ctx: z.RefinementCtx,
): string | null {
  if (role !== 'section32_manager') return null;
  if (typed === '') {
    ctx.addIssue({ code: 'custom', path: [field], message: 'admin.errors.delegationRequired' });
    return null;
  }
  return typed;
}

// Any role, so that the service can refuse platform_admin with its own message.
const role = z.enum(roles, 'admin.errors.role');
const limit = z.string().max(40, 'admin.errors.limitFormat').default('');
const reference = z.string().trim().max(200, 'forms.errors.tooLong').default('');

export const inviteForm = z
  .object({
    inviteEmail: email,
    inviteName: z.string().trim().max(200, 'forms.errors.tooLong').default(''),
    inviteLanguage: z.enum(['en', 'fr'], 'forms.errors.choose'),
    inviteRole: role,
    inviteLimit: limit,
    inviteDelegation: reference,
  })
  .transform((f, ctx) => ({
    email: f.inviteEmail,
    displayName: f.inviteName,
    language: f.inviteLanguage,
    role: f.inviteRole,
    limitCents: delegatedLimit(f.inviteRole, f.inviteLimit, 'inviteLimit', ctx),
    delegationReference: delegationReference(
      f.inviteRole,
      f.inviteDelegation,
      'inviteDelegation',
      ctx,
    ),
  }));
export type InviteForm = z.infer<typeof inviteForm>;

export const grantForm = z
  .object({
    grantUser: z
      .string()
      .regex(/^\d{1,15}$/, 'admin.errors.person')
      .transform(Number),
    grantRole: role,
    grantLimit: limit,
    grantDelegation: reference,
  })
  .transform((f, ctx) => ({
    userId: f.grantUser,
    role: f.grantRole,
    limitCents: delegatedLimit(f.grantRole, f.grantLimit, 'grantLimit', ctx),
    delegationReference: delegationReference(
      f.grantRole,
      f.grantDelegation,
      'grantDelegation',
      ctx,
    ),
  }));
export type GrantForm = z.infer<typeof grantForm>;

const id = (message: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, message)
    .transform(Number);

export const revokeForm = z.object({ grant: id('admin.errors.grant') });

/** A second administrator's answer to a proposed grant, on the version they saw. */
export const proposalForm = z.object({
  proposal: id('admin.errors.proposalGone'),
  version: id('admin.errors.proposalGone'),
});

/** Which of the staff page's forms was sent. */
export const staffActions = z.enum([
  'invite',
  'grant',
  'revoke',
  'confirm',
  'decline',
  'resendInvitation',
  'revokeInvitation',
]);

/** The person whose pending invitation is resent or revoked. */
export const memberForm = z.object({ member: id('admin.errors.invitationGone') });
/** What the staff page says after a form succeeded. */
export const staffNotices = z.enum([
  'invite',
  'grant',
  'revoke',
  'proposed',
  'confirm',
  'decline',
  'created',
  'resent',
  'invitationRevoked',
]);
export type StaffNotice = z.infer<typeof staffNotices>;

const COST_CENTRE = /^[a-z0-9-]{1,20}$/i;

/**
 * A domain name as in an email address after the @ (`esdc-edsc.gc.ca`): labels of letters,
 * digits and inner hyphens, a top-level label of letters. Checked label by label, so that no
 * pattern backtracks over a long line.
 */
function isEmailDomain(text: string): boolean {
  const labels = text.split('.');
  return (
    text.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => /^[a-z0-9-]{1,63}$/.test(l) && !l.startsWith('-') && !l.endsWith('-')) &&
    /^[a-z]{2,63}$/.test(labels.at(-1)!)
  );
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export const settingsForm = z
  .object({
    nameEn: z.string().trim().min(1, 'admin.errors.nameEn').max(200, 'forms.errors.tooLong'),
    nameFr: z.string().trim().min(1, 'admin.errors.nameFr').max(200, 'forms.errors.tooLong'),
    // The English acronym is the department's address in admin URLs: ASCII only.
    acronymEn: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][A-Z0-9-]{1,11}$/, 'admin.errors.acronymEn'),
    acronymFr: z
      .string()
      .trim()
      .transform((v) => v.toLocaleUpperCase('fr-CA'))
      .pipe(z.string().regex(/^\p{Lu}[\p{Lu}0-9-]{1,11}$/u, 'admin.errors.acronymFr')),
    costCentres: z
      .string()
      .max(10_000, 'admin.errors.costCentres')
      .default('')
      .transform(lines)
      .pipe(z.array(z.string().regex(COST_CENTRE, 'admin.errors.costCentres')).max(200))
      .transform((list) => [...new Set(list)]),
    // One checkbox per payment method, named as the form has always named the first two.
    paymentCard: z.literal('yes').optional(),
    paymentCardPaypal: z.literal('yes').optional(),
    paymentPaypal: z.literal('yes').optional(),
    secondEvaluator: z.literal('yes').optional(),
    cardExemptionReference: z
      .string()
      .trim()
      .max(100, 'forms.errors.tooLong')
      .default('')
      .transform((v) => (v === '' ? null : v)),
    emailDomains: z
      .string()
      .max(10_000, 'admin.errors.emailDomains')
      .default('')
      .transform((text) => lines(text).map((d) => d.replace(/^@/, '').toLowerCase()))
      .pipe(z.array(z.string().refine(isEmailDomain, 'admin.errors.emailDomains')).max(50))
      .transform((list) => [...new Set(list)]),
  })
  .transform((f, ctx) => {
    const paymentMethods: PaymentMethod[] = [
      ...(f.paymentCard ? (['card_direct'] as const) : []),
      ...(f.paymentCardPaypal ? (['card_paypal_checkout'] as const) : []),
      ...(f.paymentPaypal ? (['paypal_payout'] as const) : []),
    ];
    if (paymentMethods.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['paymentMethods'], message: 'admin.errors.payment' });
    }
    // DOMAIN.md: paying IT services by card, either way, needs the department's recorded
    // policy exemption (the database checks it too).
    if (paymentMethods.some(isCardPayment) && !f.cardExemptionReference) {
      ctx.addIssue({
        code: 'custom',
        path: ['cardExemptionReference'],
        message: 'admin.errors.cardExemption',
      });
    }
    return {
      nameEn: f.nameEn,
      nameFr: f.nameFr,
      acronymEn: f.acronymEn,
      acronymFr: f.acronymFr,
      costCentres: f.costCentres,
      paymentMethods,
      cardExemptionReference: f.cardExemptionReference,
      emailDomains: f.emailDomains,
      secondEvaluatorRequired: f.secondEvaluator === 'yes',
    };
  });
export type SettingsForm = z.infer<typeof settingsForm>;
