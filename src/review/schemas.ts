import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { parseDollars } from '../platform/money.ts';

const version = versionField;

const MAX_COMMENTS = 4000;

const screeningDecisions = ['accept', 'return', 'decline'] as const;
export type ScreeningDecision = (typeof screeningDecisions)[number];

export const screeningForm = z
  .object({
    decision: z.enum(screeningDecisions, 'forms.errors.choose'),
    comments: z.string().trim().max(MAX_COMMENTS, 'forms.errors.tooLong').default(''),
    approveSplitting: z.literal('yes', 'forms.errors.invalid').optional(),
    version,
  })
  .superRefine((form, ctx) => {
    if (form.decision !== 'accept' && form.comments === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['comments'],
        message:
          form.decision === 'return'
            ? 'review.errors.returnComments'
            : 'review.errors.declineReason',
      });
    }
  });
export type ScreeningForm = z.infer<typeof screeningForm>;

/** A fund-reservation number as the financial system prints it, e.g. FR-2026-004512. */
export const section32Form = z.object({
  reservationNumber: z
    .string('review.errors.reservationRequired')
    .trim()
    .min(1, 'review.errors.reservationRequired')
    .max(30, 'review.errors.reservationFormat')
    .regex(/^[a-z0-9-]+$/i, 'review.errors.reservationFormat'),
  attest: z.literal('yes', 'review.errors.attest'),
  version,
});
export type Section32Form = z.infer<typeof section32Form>;

export const cancelForm = z.object({
  reason: z
    .string('review.errors.cancelReason')
    .trim()
    .min(1, 'review.errors.cancelReason')
    .max(MAX_COMMENTS, 'forms.errors.tooLong'),
  confirm: z.literal('yes', 'review.errors.cancelConfirm'),
  version,
});
export type CancelForm = z.infer<typeof cancelForm>;

/** Finance's release: an amount in dollars for part of the funds, or nothing for all that is left. */
export const releaseForm = z
  .object({
    amount: z
      .string('review.errors.releaseAmount')
      .trim()
      .max(40, 'review.errors.releaseAmount')
      .default('')
      .transform((typed, ctx) => {
        if (typed === '') return null;
        const cents = parseDollars(typed);
        if (cents === undefined || cents <= 0) {
          ctx.addIssue({ code: 'custom', message: 'review.errors.releaseAmount' });
          return z.NEVER;
        }
        return cents;
      }),
  })
  .transform((f) => ({ amountCents: f.amount }));
export type ReleaseForm = z.infer<typeof releaseForm>;

/** What the request page announces after a step succeeded (`?done=`). */
export const doneNotices = z.enum([
  'scheduled',
  'accepted',
  'returned',
  'declined',
  'fundsApproved',
  'cancelled',
  'released',
  'partlyReleased',
]);
export type DoneNotice = z.infer<typeof doneNotices>;
