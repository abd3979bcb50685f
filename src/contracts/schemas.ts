import { DateTime } from 'luxon';
import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { checkInAnswers } from './steps.ts';

export const MESSAGE_MAX = 5000;
export const NOTE_MAX = 2000;
export const REASON_MAX = 2000;

export const messageForm = z.object({
  body: z
    .string('contracts.errors.messageRequired')
    .trim()
    .min(1, 'contracts.errors.messageRequired')
    .max(MESSAGE_MAX, 'contracts.errors.messageTooLong'),
});

export const checkInForm = z
  .object({
    answer: z.enum(checkInAnswers, 'contracts.errors.answer'),
    note: z.string().trim().max(NOTE_MAX, 'contracts.errors.noteTooLong').optional().default(''),
  })
  .refine((f) => f.answer !== 'at_risk' || f.note.length > 0, {
    path: ['note'],
    message: 'contracts.errors.noteRequired',
  });

/** A calendar date as a date field sends it, checked for length first, then for being a day. */
const calendarDate = z
  .string('contracts.errors.dueOn')
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'contracts.errors.dueOn')
  .refine((d) => DateTime.fromISO(d, { zone: 'UTC' }).isValid, 'contracts.errors.dueOn');

const reasonField = z
  .string('contracts.errors.reasonRequired')
  .trim()
  .min(1, 'contracts.errors.reasonRequired')
  .max(REASON_MAX, 'contracts.errors.reasonTooLong');

export const extensionForm = z.object({
  dueOn: calendarDate,
  extensionReason: reasonField,
});

export const terminationForm = z.object({
  version: versionField,
  terminationReason: reasonField,
  then: z.enum(['next_in_line', 'end'], 'contracts.errors.then'),
  confirm: z.literal('yes', 'contracts.errors.confirmTermination'),
});
