import { z } from 'zod';

/**
 * The staff page's filters, from the query string: a department id and a fiscal year, each
 * optional, each length-checked before it is read as a number. Anything else reads as no filter
 * with an error, so the page still answers.
 */
export const metricsFilters = z.object({
  department: z
    .string()
    .max(9)
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  year: z
    .string()
    .max(4)
    .regex(/^\d{4}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});
