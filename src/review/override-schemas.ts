import { z } from 'zod';
import { versionField } from '../platform/forms.ts';

/**
 * The reason typed to ask for a segregation override. Its minimum length is the lifecycle's rule
 * (proposeOverride measures it, in characters); here only what no reason may be.
 */
export const proposeOverrideForm = z.object({
  overrideReason: z
    .string('segregation.override.reason_missing')
    .trim()
    .min(1, 'segregation.override.reason_missing')
    .max(4000, 'forms.errors.tooLong'),
  /** The request as the manager saw it: the reason was written about that amount and coding. */
  version: versionField,
});
export type ProposeOverrideForm = z.infer<typeof proposeOverrideForm>;

/** The override an address names: a positive whole number, anything else names none. */
export const overrideParam = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number)
  .pipe(z.number().positive());
