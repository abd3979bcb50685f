import { z } from 'zod';
import { isCalendarDate } from '../platform/dates.ts';
import { CAP_CENTS, MAX_TYPED_AMOUNT_LENGTH, parseDollars } from '../platform/money.ts';

const REFERENCE_MAX = 100;

/** A dollar amount typed in English or French style, as cents (length checked first). */
const dollars = (message: string) =>
  z
    .string(message)
    .max(MAX_TYPED_AMOUNT_LENGTH, message)
    .transform((typed, ctx) => {
      const cents = parseDollars(typed);
      if (cents === undefined || cents <= 0 || cents > CAP_CENTS) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return cents;
    });

const id = (message: string) =>
  z
    .string(message)
    .regex(/^\d{1,9}$/, message)
    .transform(Number);

/** The card payment as finance records it: never a card number, the last 4 digits only. */
export const cardPaymentForm = z.object({
  method: z.enum(['card_direct', 'card_paypal_checkout'], 'payments.errors.method'),
  card: id('payments.errors.card'),
  last4: z
    .string('payments.errors.last4')
    .trim()
    .regex(/^\d{4}$/, 'payments.errors.last4'),
  authorizationCode: z
    .string('payments.errors.authorizationCode')
    .trim()
    .min(1, 'payments.errors.authorizationCode')
    .max(40, 'payments.errors.authorizationCode')
    .regex(/^[\w-]+$/, 'payments.errors.authorizationCode'),
  paidOn: z
    .string('payments.errors.paidOn')
    .trim()
    .refine((typed) => typed.length <= 10 && isCalendarDate(typed), 'payments.errors.paidOn'),
  amount: dollars('payments.errors.amount'),
  limitIncrease: z.string().trim().max(REFERENCE_MAX, 'forms.errors.tooLong').optional(),
});

/** A department's acquisition card: its holder, last 4 digits and per-transaction limit. */
export const cardForm = z.object({
  cardholder: id('payments.errors.cardholder'),
  last4: z
    .string('payments.errors.last4')
    .trim()
    .regex(/^\d{4}$/, 'payments.errors.last4'),
  limit: dollars('payments.errors.limit'),
});

/** A statement line ticked (or unticked) as matched. */
export const matchForm = z.object({
  payment: id('payments.errors.statementLine'),
  matched: z.enum(['yes', 'no'], 'payments.errors.statementLine'),
});

/** A month of a card statement, `YYYY-MM`. */
export const statementMonth = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/);
