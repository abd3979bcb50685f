import { z } from 'zod';

/** An optional whole number of at most `digits` digits, its length checked before it is read. */
const wholeNumber = (digits: number, message: string) =>
  z
    .string({ message })
    .max(digits, message)
    .default('')
    .refine((v) => /^\d*$/.test(v), message)
    .transform((v) => (v === '' ? undefined : Number(v)));

/**
 * The staff page's filters, from the query string: a department id and a fiscal year, each
 * optional. A bad one (not a number, repeated, or a department the person may not see) comes
 * back to the page with its message, for the page and for each export.
 */
export const metricsFilters = z.object({
  department: wholeNumber(9, 'metrics.errors.department'),
  year: wholeNumber(4, 'metrics.errors.year'),
});
