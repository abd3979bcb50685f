import { z } from 'zod';
import { provinces } from '../platform/money.ts';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'forms.errors.tooLong')
    .transform((v) => (v === '' ? null : v));

/** A GST/HST number: the 9-digit business number, "RT" and a 4-digit account, e.g. 123456789RT0001. */
const gstHst = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine((v) => v === '' || /^\d{9}RT\d{4}$/.test(v), 'forms.errors.gstHst')
  .transform((v) => (v === '' ? null : v));

const handle = z
  .string()
  .trim()
  .refine((v) => v === '' || /^[a-z0-9][a-z0-9-]{0,38}$/i.test(v), 'forms.errors.handle')
  .transform((v) => (v === '' ? null : v));

export const profileForm = z
  .object({
    legalName: z.string().trim().min(1, 'forms.errors.required').max(200, 'forms.errors.tooLong'),
    supplierType: z.enum(['individual', 'business'], 'forms.errors.choose'),
    businessName: optionalText(200),
    gstHstNumber: gstHst,
    province: z.enum(provinces, 'forms.errors.choose'),
    language: z.enum(['en', 'fr'], 'forms.errors.choose'),
    githubHandle: handle,
    gitlabHandle: handle,
    acceptsCard: z.literal('yes').optional(),
    paypalEmail: z
      .string()
      .trim()
      .max(254, 'forms.errors.email')
      .refine((v) => v === '' || z.email().safeParse(v).success, 'forms.errors.email')
      .transform((v) => (v === '' ? null : v)),
    namedIfSelected: z.literal('yes').optional(),
    /** The current password, asked only when the details that decide who is paid change. */
    password: z.string().max(128, 'accounts.profile.wrongPassword').optional(),
  })
  .refine((f) => f.supplierType === 'individual' || f.businessName !== null, {
    path: ['businessName'],
    message: 'forms.errors.businessName',
  });

export type ProfileForm = z.infer<typeof profileForm>;

export const closeAccountForm = z.object({ confirm: z.literal('yes', 'forms.errors.checkbox') });
