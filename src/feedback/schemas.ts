import { z } from 'zod';
import { sameLineBreaks } from '../questions/schemas.ts';
import { feedbackSteps } from './steps.ts';

/** As the hint of the form says in each language (feedback.wouldHelpHint). */
const WOULD_HELP_MAX = 2000;

/** A score of 1 to 5 chosen from the radio buttons; nothing chosen is no answer. */
const score = (key: string) =>
  z
    .enum(['', '1', '2', '3', '4', '5'], key)
    .optional()
    .transform((v) => (v ? Number(v) : null));

/** The short feedback form: every question optional, but something must be said. */
export const feedbackForm = z
  .object({
    step: z.enum(feedbackSteps, 'feedback.errors.step'),
    ease: score('feedback.errors.ease'),
    clarity: score('feedback.errors.clarity'),
    // Counted as stored: a browser's CR LF line break is one character.
    would_help: z
      .string('feedback.errors.wouldHelp')
      .default('')
      .transform((text) => sameLineBreaks(text.trim()))
      .pipe(z.string().max(WOULD_HELP_MAX, 'feedback.errors.wouldHelpTooLong'))
      .transform((text) => text || null),
  })
  .refine((f) => f.ease !== null || f.clarity !== null || f.would_help !== null, {
    path: ['ease'],
    message: 'feedback.errors.empty',
  });

export type FeedbackAnswer = z.infer<typeof feedbackForm>;
