import { z } from 'zod';
import { positiveWholeNumber, versionField } from '../platform/forms.ts';
import { MIN_REASON_LENGTH, reasonLength, type Decision } from './rules.ts';
import type { CriterionDecision } from './service.ts';

const MAX_TEXT = 4000;

/** The field names of one criterion's decision on the applicant's page. */
export const decisionField = (criterionId: number) => `decision-${criterionId}`;
export const reasonField = (criterionId: number) => `reason-${criterionId}`;

const isDecision = (value: unknown): value is Decision => value === 'pass' || value === 'fail';

/** Why a reason is refused, as a locale key, or undefined for a good one. */
function reasonProblem(reason: string): string | undefined {
  if (reason.trim() === '') return 'evaluation.errors.reasonRequired';
  if (reasonLength(reason) < MIN_REASON_LENGTH) return 'evaluation.errors.reasonTooShort';
  if (reason.length > MAX_TEXT) return 'forms.errors.tooLong';
  return undefined;
}

/** A field's problem as a locale key and its values. */
interface FormProblem {
  field: string;
  key: string;
  values?: Record<string, number>;
}

/**
 * One applicant's form: for each criterion, pass or fail and its reason. A criterion left wholly
 * blank is not decided yet (progress is saved as it goes); one half filled in is an error.
 */
export function parseDecisions(
  body: Record<string, unknown>,
  criterionIds: readonly number[],
): { decisions: CriterionDecision[]; problems: FormProblem[] } {
  const decisions: CriterionDecision[] = [];
  const problems: FormProblem[] = [];
  for (const criterionId of criterionIds) {
    const decision = body[decisionField(criterionId)];
    const rawReason = body[reasonField(criterionId)];
    const reason = typeof rawReason === 'string' ? rawReason : '';
    if (decision === undefined && reason.trim() === '') continue;
    if (!isDecision(decision)) {
      problems.push({ field: decisionField(criterionId), key: 'evaluation.errors.decision' });
    }
    const problem = reasonProblem(reason);
    if (problem) {
      problems.push({ field: reasonField(criterionId), key: problem, values: { max: MAX_TEXT } });
    }
    if (isDecision(decision) && !problem) decisions.push({ criterionId, decision, reason });
  }
  return { decisions, problems };
}

/** The consensus on one disagreement: the cell it settles, the decision and its reason. */
export const consensusForm = z.object({
  applicant: z.string().regex(/^[A-Z]{1,3}$/, 'forms.errors.invalid'),
  criterion: z
    .string('forms.errors.invalid')
    .max(15, 'forms.errors.invalid')
    .transform((v, ctx) => {
      const n = positiveWholeNumber(v);
      if (n === undefined) ctx.addIssue({ code: 'custom', message: 'forms.errors.invalid' });
      return n ?? 0;
    }),
  decision: z.enum(['pass', 'fail'], 'evaluation.errors.decision'),
  reason: z
    .string('evaluation.errors.reasonRequired')
    .max(MAX_TEXT, 'forms.errors.tooLong')
    .superRefine((reason, ctx) => {
      const problem = reasonProblem(reason);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});

export const declarationForm = z.object({
  noConflict: z.literal('yes', 'evaluation.errors.declaration'),
});

const personId = z
  .string('evaluation.errors.evaluator')
  .max(15, 'evaluation.errors.evaluator')
  .transform((v, ctx) => {
    const n = positiveWholeNumber(v);
    if (n === undefined) ctx.addIssue({ code: 'custom', message: 'evaluation.errors.evaluator' });
    return n ?? 0;
  });

export const nameEvaluatorForm = z.object({ evaluator: personId });

export const returnForm = z.object({
  returnTo: personId,
  comment: z
    .string('evaluation.errors.commentRequired')
    .trim()
    .min(1, 'evaluation.errors.commentRequired')
    .max(MAX_TEXT, 'forms.errors.tooLong'),
});

export const lockForm = z.object({ version: versionField });
