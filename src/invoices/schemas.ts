import { z } from 'zod';
import { isCalendarDate } from '../platform/dates.ts';

export const INVOICE_NUMBER_MAX = 40;

/** The supplier's choices on the invoice: its number and its date (the rest is pre-filled). */
export const invoiceForm = z.object({
  invoiceNumber: z
    .string('invoices.errors.numberRequired')
    .trim()
    .min(1, 'invoices.errors.numberRequired')
    .max(INVOICE_NUMBER_MAX, 'invoices.errors.numberTooLong')
    .regex(/^[\p{L}\p{N} ._/#-]+$/u, 'invoices.errors.numberCharacters'),
  invoiceDate: z
    .string('invoices.errors.dateFormat')
    .trim()
    .max(10, 'invoices.errors.dateFormat')
    .refine(isCalendarDate, 'invoices.errors.dateFormat'),
  /** The returned invoice's version, when correcting one. */
  version: z
    .string()
    .regex(/^\d{1,9}$/, 'lifecycle.failures.stale')
    .transform(Number)
    .optional(),
});
