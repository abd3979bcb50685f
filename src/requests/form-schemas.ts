import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { isCalendarDate } from '../platform/dates.ts';
import { MAX_TYPED_AMOUNT_LENGTH, parseDollars } from '../platform/money.ts';
import { paymentMethods } from '../platform/payment-methods.ts';
import { isOsiLicence } from './licences.ts';
import { isPublicRepositoryUrl } from './rules.ts';
import type { StepNumber } from './steps.ts';

/** Bounds of the request form; the longest text fields fit what a micro-acquisition needs. */
export const LIMITS = {
  title: 200,
  summary: 500,
  description: 20_000,
  skills: 15,
  skill: 100,
  criteria: 10,
  criterion: 500,
  ciCheck: 100,
  code: 20,
  justification: 5_000,
} as const;

/** Amounts past this are not prices anyone means; they stay out of the tax arithmetic. */
const MAX_READABLE_PRICE_CENTS = 100_000_000_000;

/** A typed price as cents, or undefined when it is not an amount (or an absurd one). */
export function readPrice(typed: string): number | undefined {
  const cents = parseDollars(typed);
  return cents !== undefined && cents <= MAX_READABLE_PRICE_CENTS ? cents : undefined;
}

/** Browsers send CRLF from textareas; stored texts use LF, as the translation editor saves them. */
const text = (required: string, max: number) =>
  z
    .string(required)
    .overwrite((value) => value.replace(/\r\n?/g, '\n'))
    .trim()
    .min(1, required)
    .max(max, 'forms.errors.tooLong');

/** One entry per line, blank lines dropped: at least `min` and at most `max` of them. */
function lineList(o: { min: number; max: number; length: number; count: string; long: string }) {
  return z
    .string()
    .max(o.max * (o.length + 2), o.count)
    .default('')
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    )
    .pipe(z.array(z.string().max(o.length, o.long)).min(o.min, o.count).max(o.max, o.count));
}

const isoDate = (message: string) =>
  z
    .string()
    .trim()
    .refine((value) => isCalendarDate(value), message);

const optionalDate = z
  .string()
  .trim()
  .max(10, 'requests.errors.date')
  .default('')
  .pipe(z.union([z.literal(''), isoDate('requests.errors.date')]))
  .transform((value) => (value === '' ? null : value));

/** Fund and GL account codes as the financial system writes them. */
const financialCode = (message: string) =>
  z
    .string(message)
    .trim()
    .regex(new RegExp(`^[a-z0-9]{1,${LIMITS.code}}$`, 'i'), message);

export const newRequestForm = z.object({
  department: z
    .string('requests.errors.department')
    .regex(/^\d{1,9}$/, 'requests.errors.department')
    .transform(Number),
  sourceLanguage: z.enum(['en', 'fr'], 'requests.errors.sourceLanguage'),
});

const aboutForm = z.object({
  title: text('requests.errors.title', LIMITS.title),
  summary: text('requests.errors.summary', LIMITS.summary),
  description: text('requests.errors.description', LIMITS.description),
});

const codeForm = z.object({
  repositoryUrl: z
    .string('requests.errors.repository')
    .trim()
    .max(300, 'requests.errors.repository')
    .refine(isPublicRepositoryUrl, 'requests.errors.repository'),
  licence: z.string('requests.errors.licence').refine(isOsiLicence, 'requests.errors.licence'),
  skills: lineList({
    min: 0,
    max: LIMITS.skills,
    length: LIMITS.skill,
    count: 'requests.errors.skills',
    long: 'requests.errors.skillLength',
  }),
});

/** A criterion's number, as typed before the colon of a CI check's line. */
const CRITERION_NUMBER = /^\d{1,2}$/;

/**
 * The CI checks the review of the delivered work shows (src/delivery/ci-checks.ts), one line per
 * work acceptance criterion that names one: its number, a colon, the check's name as the CI names
 * it (`2: unit-tests`; spaces around the colon are fine, as French typography puts them).
 * Optional; at most one per criterion.
 */
const ciCheckLines = lineList({
  min: 0,
  max: LIMITS.criteria,
  length: LIMITS.ciCheck + 6,
  count: 'requests.errors.ciChecks',
  long: 'requests.errors.ciChecks',
}).transform((lines, ctx) => {
  const checks: { position: number; name: string }[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const number = line.slice(0, Math.max(colon, 0)).trim();
    const name = line.slice(colon + 1).trim();
    const position = Number(number);
    if (
      colon < 0 ||
      !CRITERION_NUMBER.test(number) ||
      name === '' ||
      name.length > LIMITS.ciCheck ||
      checks.some((c) => c.position === position)
    ) {
      ctx.addIssue({ code: 'custom', message: 'requests.errors.ciChecks' });
      return z.NEVER;
    }
    checks.push({ position, name });
  }
  return checks;
});

const criteriaForm = z
  .object({
    acceptanceCriteria: lineList({
      min: 1,
      max: LIMITS.criteria,
      length: LIMITS.criterion,
      count: 'requests.errors.acceptanceCriteria',
      long: 'requests.errors.criterionLength',
    }),
    ciChecks: ciCheckLines,
    mandatoryCriteria: lineList({
      min: 1,
      max: LIMITS.criteria,
      length: LIMITS.criterion,
      count: 'requests.errors.mandatoryCriteria',
      long: 'requests.errors.criterionLength',
    }),
  })
  .refine(
    (f) => f.ciChecks.every((c) => c.position >= 1 && c.position <= f.acceptanceCriteria.length),
    {
      path: ['ciChecks'],
      message: 'requests.errors.ciChecks',
      when: ({ issues }) =>
        !issues.some((i) => ['acceptanceCriteria', 'ciChecks'].includes(String(i.path?.[0]))),
    },
  );

const priceForm = z
  .object({
    price: z
      .string('requests.errors.priceFormat')
      .max(MAX_TYPED_AMOUNT_LENGTH, 'requests.errors.priceFormat')
      .transform((typed, ctx) => {
        const cents = readPrice(typed);
        if (cents === undefined) {
          ctx.addIssue({ code: 'custom', message: 'requests.errors.priceFormat' });
          return z.NEVER;
        }
        return cents;
      })
      .refine((cents) => cents > 0, 'requests.errors.price'),
    deliveryDueOn: z
      .string('requests.errors.deliveryDue')
      .max(10, 'requests.errors.date')
      .pipe(isoDate('requests.errors.deliveryDue')),
    preferredOpensOn: optionalDate,
    preferredClosesOn: optionalDate,
  })
  .refine(
    (f) => !f.preferredOpensOn || !f.preferredClosesOn || f.preferredClosesOn > f.preferredOpensOn,
    {
      path: ['preferredClosesOn'],
      message: 'requests.errors.closingAfterOpening',
      // Compare the dates even when the price or the due date is wrong, so all errors show at once.
      when: ({ issues }) =>
        !issues.some((i) =>
          ['preferredOpensOn', 'preferredClosesOn'].includes(String(i.path?.[0])),
        ),
    },
  );

const financesForm = z.object({
  costCentre: z.string('requests.errors.costCentre').trim().min(1, 'requests.errors.costCentre'),
  fund: financialCode('requests.errors.fund'),
  glAccount: financialCode('requests.errors.glAccount'),
  paymentMethod: z.enum(paymentMethods, 'requests.errors.paymentMethod'),
});

/** Each step's own fields; they are all required when that step is saved. */
export const stepForms = {
  1: aboutForm,
  2: codeForm,
  3: criteriaForm,
  4: priceForm,
  5: financesForm,
} as const satisfies Record<StepNumber, z.ZodType>;

export type StepInput =
  | ({ step: 1 } & z.infer<typeof aboutForm>)
  | ({ step: 2 } & z.infer<typeof codeForm>)
  // The CI checks are optional for a caller that saves only the criteria.
  | ({ step: 3 } & Omit<z.infer<typeof criteriaForm>, 'ciChecks'> & {
        ciChecks?: { position: number; name: string }[];
      })
  | ({ step: 4 } & z.infer<typeof priceForm>)
  | ({ step: 5 } & z.infer<typeof financesForm>);

/** Which button saved the step: go on to the next one, or back to the list for later. */
export const thenChoice = z.enum(['continue', 'later']).catch('continue');

export const submitForm = z.object({
  justification: z
    .string()
    .max(LIMITS.justification, 'forms.errors.tooLong')
    .default('')
    .transform((value) => value.trim()),
  version: versionField,
});
