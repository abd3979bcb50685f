import { z } from 'zod';

/**
 * The four optional self-identification questions, each answered yes, no or "prefer not to say",
 * or left unanswered. Only whether someone belongs to one of the groups the Employment Equity Act
 * designates is asked, never which one: the metrics need the share, and less is asked of people.
 */
export const selfIdentificationQuestions = [
  'outside_ncr',
  'equity_group',
  'small_business',
  'first_gc_contract',
] as const;
export type SelfIdentificationQuestion = (typeof selfIdentificationQuestions)[number];

export const selfIdentificationAnswers = ['yes', 'no', 'prefer_not_to_say'] as const;
type SelfIdentificationAnswer = (typeof selfIdentificationAnswers)[number];

export type SelfIdentificationAnswers = Record<
  SelfIdentificationQuestion,
  SelfIdentificationAnswer | null
>;

const answerField = z
  .enum(selfIdentificationAnswers, 'selfIdentification.errors.answer')
  .optional()
  .transform((answer) => answer ?? null);

/** The form: "save" with at least one answer, or "remove" every answer. */
export const selfIdentificationForm = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        action: z.literal('save'),
        outside_ncr: answerField,
        equity_group: answerField,
        small_business: answerField,
        first_gc_contract: answerField,
      })
      .refine((f) => selfIdentificationQuestions.some((q) => f[q] !== null), {
        path: ['outside_ncr'],
        message: 'selfIdentification.errors.nothingChosen',
      }),
    z.object({ action: z.literal('remove') }),
  ],
  'selfIdentification.errors.answer',
);
