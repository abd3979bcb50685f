import { z } from 'zod';
import { versionField } from '../platform/forms.ts';

/** The offer's version and the terms version the supplier read, both sent back by the form. */
export const acceptForm = z.object({
  version: versionField,
  terms: z
    .string('offers.errors.termsChanged')
    .regex(/^\d{1,9}$/, 'offers.errors.termsChanged')
    .transform(Number),
  agree: z.literal('yes', 'offers.errors.agree'),
});

export const DECLINE_REASON_MAX = 2000;

export const declineForm = z.object({
  version: versionField,
  reason: z.string().trim().max(DECLINE_REASON_MAX, 'offers.errors.reasonTooLong').optional(),
  confirm: z.literal('yes', 'offers.errors.confirmDecline'),
});
