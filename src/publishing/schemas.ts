import { z } from 'zod';
import { isCalendarDate } from '../platform/dates.ts';
import { versionField } from '../platform/forms.ts';

/** The preview's address: 32 random bytes in base64url, nothing else reaches the database. */
export const previewToken = z.string().regex(/^[\w-]{43}$/);

export const approvalForm = z.object({ version: versionField });

/** `YYYY-MM-DD` (what `<input type="date">` sends), a real calendar day; empty when allowed. */
const calendarDate = (message: string, optional = false) =>
  z
    .string({ message })
    .trim()
    .default('')
    .refine((value) => (optional && value === '') || isCalendarDate(value), { message });

/** `HH:MM` on the 24-hour clock (what `<input type="time">` sends); empty when allowed. */
const clockTime = (message: string, optional = false) =>
  z
    .string({ message })
    .trim()
    .default('')
    .refine((value) => (optional && value === '') || /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(value), {
      message,
    });

/** Eastern wall-clock dates and times; an empty closing means the default closing. */
export const publishForm = z.object({
  version: versionField,
  openingDate: calendarDate('publishing.errors.openingDate'),
  openingTime: clockTime('publishing.errors.openingTime'),
  closingDate: calendarDate('publishing.errors.closingDate', true),
  closingTime: clockTime('publishing.errors.closingTime', true),
});

export type PublishForm = z.infer<typeof publishForm>;
