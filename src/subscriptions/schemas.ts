import { z } from 'zod';
import { email } from '../accounts/schemas.ts';

export const INTERESTS = { count: 40, length: 100 };

/** Checkboxes send nothing, one value, or several: always a list here. */
const interests = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .pipe(
    z
      .array(z.string().trim().max(INTERESTS.length, 'subscriptions.errors.interests'))
      .max(INTERESTS.count, 'subscriptions.errors.interests'),
  )
  .transform((list) => [...new Set(list.filter((skill) => skill !== ''))]);

/** The wording's version shown on the form, sent back with it (a length limit before parsing). */
const consentVersion = z
  .string('subscriptions.errors.wording')
  .regex(/^\d{1,6}$/, 'subscriptions.errors.wording')
  .transform(Number);

const language = z.enum(['en', 'fr'], 'forms.errors.choose');

export const subscribeForm = z.object({
  email,
  language,
  interests,
  consentVersion,
  consent: z.literal('yes', 'subscriptions.errors.consent'),
});
export type SubscribeForm = z.infer<typeof subscribeForm>;

/** A supplier's own preferences, in the profile: staying on the list needs the box ticked. */
export const preferencesForm = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('save'),
    language,
    interests,
    consentVersion,
    consent: z.literal('yes', 'subscriptions.errors.consent'),
  }),
  z.object({ action: z.literal('unsubscribe') }),
]);

/** Our links' tokens: 32 random bytes in base64url. */
export const tokenParam = z.string().regex(/^[\w-]{43}$/);
