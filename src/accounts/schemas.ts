import { z } from 'zod';

/** An email address field, with the bilingual messages every form uses. */
export const email = z
  .string()
  .trim()
  .min(1, 'forms.errors.emailRequired')
  .max(254, 'forms.errors.email')
  .pipe(z.email('forms.errors.email'));

const newPassword = z
  .string()
  .min(12, 'forms.errors.passwordLength')
  .max(128, 'forms.errors.passwordLength');

export const signUpForm = z
  .object({
    email,
    password: newPassword,
    passwordConfirmation: z.string(),
    language: z.enum(['en', 'fr'], 'forms.errors.choose'),
    privacy: z.literal('yes', 'forms.errors.checkbox'),
  })
  .refine((form) => form.password === form.passwordConfirmation, {
    path: ['passwordConfirmation'],
    message: 'forms.errors.passwordMismatch',
  });

/** A password typed to prove who one is (not a new one: any length up to the maximum). */
const currentPassword = z
  .string('forms.errors.passwordRequired')
  .min(1, 'forms.errors.passwordRequired')
  .max(128, 'forms.errors.passwordRequired');

export const signInForm = z.object({ email, password: currentPassword });

/** The confirmation button asks for the password chosen at sign-up (H1). */
export const confirmEmailForm = z.object({ password: currentPassword });

export const forgotPasswordForm = z.object({ email });

export const resetPasswordForm = z
  .object({ password: newPassword, passwordConfirmation: z.string() })
  .refine((form) => form.password === form.passwordConfirmation, {
    path: ['passwordConfirmation'],
    message: 'forms.errors.passwordMismatch',
  });

export const tokenParam = z.string().regex(/^[\w-]{43}$/);
