import { z } from 'zod';

/** A question, or one language of a published question or answer. */
export const QUESTION_MAX_LENGTH = 2000;

/** Browsers send line breaks as CRLF: stored as LF, so an untouched text compares equal. */
export const sameLineBreaks = (text: string) => text.replace(/\r\n?/g, '\n');

const text = (requiredKey: string) =>
  z
    .string(requiredKey)
    .trim()
    .min(1, requiredKey)
    .max(QUESTION_MAX_LENGTH, 'forms.errors.tooLong')
    .transform(sameLineBreaks);

export const askForm = z.object({ question: text('questions.errors.questionRequired') });

/** Publishing needs the wording and the answer in both languages (the database checks it too). */
export const answerForm = z.object({
  questionId: z
    .string('questions.errors.questionGone')
    .regex(/^\d{1,15}$/, 'questions.errors.questionGone')
    .transform(Number),
  question_en: text('questions.errors.questionEn'),
  question_fr: text('questions.errors.questionFr'),
  answer_en: text('questions.errors.answerEn'),
  answer_fr: text('questions.errors.answerFr'),
});
export type AnswerForm = z.infer<typeof answerForm>;

export const watchForm = z.object({ watch: z.enum(['yes', 'no'], 'questions.errors.watch') });
