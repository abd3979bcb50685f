import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { linkKinds, MAX_LINK_LENGTH, MAX_LINKS_PER_KIND, type LinkKind } from './links.ts';

const MAX_NOTES = 5000;
export const MAX_COMMENT = 2000;

/** The delivery form's field for each kind of link: one address per line. */
export const linkFields: Record<LinkKind, string> = {
  pull_request: 'pullRequests',
  commit: 'commits',
  release: 'releases',
};

const addresses = z
  .string()
  .max(MAX_LINKS_PER_KIND * (MAX_LINK_LENGTH + 2), 'delivery.errors.tooManyLinks')
  .default('')
  .transform((value) =>
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  )
  .pipe(z.array(z.string()).max(MAX_LINKS_PER_KIND, 'delivery.errors.tooManyLinks'));

export const deliveryForm = z.object({
  pullRequests: addresses,
  commits: addresses,
  releases: addresses,
  notes: z
    .string()
    .max(MAX_NOTES, 'forms.errors.tooLong')
    .default('')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim()),
  version: versionField,
});
export type DeliveryForm = z.infer<typeof deliveryForm>;

export const linksOf = (form: DeliveryForm) =>
  linkKinds.flatMap((kind) =>
    form[linkFields[kind] as 'pullRequests'].map((url) => ({ kind, url })),
  );

/** The review form's field names for one work acceptance criterion. */
export const metField = (criterionId: number) => `met-${criterionId}`;
export const commentField = (criterionId: number) => `comment-${criterionId}`;

export const reviewForm = z.object({
  decision: z.enum(['accept', 'revisions'], 'delivery.errors.decision'),
  reason: z
    .string()
    .max(MAX_COMMENT, 'forms.errors.tooLong')
    .default('')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim()),
  version: versionField,
});

interface FormProblem {
  field: string;
  key: string;
}

/**
 * Each criterion's judgement: met or not, and a comment, required when not met. Every criterion
 * must be judged, whichever button was pressed; whether the decision fits them is the service's
 * rule (rules.ts).
 */
export function parseJudgements(
  body: Record<string, unknown>,
  criterionIds: readonly number[],
): {
  judgements: { criterionId: number; met: boolean; comment: string }[];
  problems: FormProblem[];
} {
  const judgements = [];
  const problems: FormProblem[] = [];
  for (const criterionId of criterionIds) {
    const met = body[metField(criterionId)];
    const raw = body[commentField(criterionId)];
    const comment = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    if (met !== 'yes' && met !== 'no') {
      problems.push({ field: metField(criterionId), key: 'delivery.errors.met' });
      continue;
    }
    if (comment.length > MAX_COMMENT) {
      problems.push({ field: commentField(criterionId), key: 'forms.errors.tooLong' });
    } else if (met === 'no' && comment === '') {
      problems.push({ field: commentField(criterionId), key: 'delivery.errors.commentRequired' });
    } else {
      judgements.push({ criterionId, met: met === 'yes', comment });
    }
  }
  return { judgements, problems };
}
