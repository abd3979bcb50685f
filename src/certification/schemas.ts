import { z } from 'zod';
import { versionField } from '../platform/forms.ts';

const MAX_REASON = 4000;

/** The manager checks the box whose label is the statutory wording, on the version they read. */
export const certifyForm = z.object({
  attest: z.literal('yes', 'certification.errors.attest'),
  version: versionField,
});
export type CertifyForm = z.infer<typeof certifyForm>;

export const returnForm = z.object({
  reason: z
    .string('certification.errors.returnReason')
    .trim()
    .min(1, 'certification.errors.returnReason')
    .max(MAX_REASON, 'forms.errors.tooLong'),
  version: versionField,
});
export type ReturnForm = z.infer<typeof returnForm>;

/** The length rule is the lifecycle's (segregation.ts): it answers with its own message. */
export const overrideForm = z.object({
  overrideReason: z.string().max(MAX_REASON, 'forms.errors.tooLong').default(''),
  version: versionField,
});
export type OverrideForm = z.infer<typeof overrideForm>;

/** The amount left to release as the page showed it, in cents: the release is of that figure. */
export const releaseForm = z.object({
  left: z
    .string('certification.funds.errors.changed')
    .regex(/^\d{1,9}$/, 'certification.funds.errors.changed')
    .transform(Number),
});
