import { z } from 'zod';
import { isCalendarDate } from '../platform/dates.ts';

const date = z
  .string()
  .trim()
  .max(10, 'audit.errors.date')
  .default('')
  .refine((v) => v === '' || isCalendarDate(v), 'audit.errors.date')
  .transform((v) => (v === '' ? undefined : v));

/**
 * The audit log's filters, from the query string: a person (a user id), an action (its code),
 * a date range in Eastern calendar days (yyyy-mm-dd), a page number. Each is length-checked
 * before it is read; a bad one comes back to the form with its message.
 */
export const auditFilters = z
  .object({
    person: z
      .string()
      .max(15, 'audit.errors.person')
      .default('')
      .refine((v) => v === '' || /^\d{1,15}$/.test(v), 'audit.errors.person')
      .transform((v) => (v === '' ? undefined : Number(v))),
    action: z
      .string()
      .max(60, 'audit.errors.action')
      .default('')
      .refine((v) => v === '' || /^[a-z][a-z0-9_]{0,59}$/.test(v), 'audit.errors.action')
      .transform((v) => (v === '' ? undefined : v)),
    from: date,
    to: date,
    page: z
      .string()
      .max(6, 'audit.errors.page')
      .default('1')
      .refine((v) => /^[1-9]\d{0,5}$/.test(v), 'audit.errors.page')
      .transform(Number),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'audit.errors.range' });
    }
  });
export type AuditFilters = z.infer<typeof auditFilters>;
