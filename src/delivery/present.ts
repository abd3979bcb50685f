import type { ContractRow } from '../contracts/machine.ts';
import { easternDate, formatCalendarDate, formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import type { CheckResult } from './ci-checks.ts';
import type { ContractOpportunity, Round, WorkCriterion } from './repo.ts';
import { problemReportDeadline } from './rules.ts';
import { commentField, metField } from './schemas.ts';

/** A text shown with its language marked when it is not the page's (WCAG 3.1.2). */
const inLang = (text: string, textLang: Lang, lang: Lang) => ({
  text,
  lang: textLang === lang ? undefined : textLang,
});

/** One delivery round as both pages show it, with its review if there is one. */
function presentRound(round: Round, criteria: readonly WorkCriterion[], lang: Lang, now: Date) {
  const review = round.review;
  const reportBy = problemReportDeadline(round.delivered_at);
  return {
    round: round.round,
    deliveredAt: formatDeadline(round.delivered_at, lang),
    reportBy: formatCalendarDate(reportBy, lang),
    reportByPassed: easternDate(now) > reportBy,
    notes: round.notes ? inLang(round.notes, round.notes_lang, lang) : undefined,
    links: round.links.map((l) => ({ kind: l.kind, url: l.url })),
    review: review && {
      outcome: review.outcome,
      reviewedAt: formatDeadline(review.reviewed_at, lang),
      reason: review.reason ? inLang(review.reason, review.reason_lang, lang) : undefined,
      criteria: criteria.map((c) => {
        const j = review.criteria.find((k) => k.acceptance_criterion_id === c.id);
        return {
          position: c.position,
          text: c[`text_${lang}`],
          met: j?.met,
          comment: j?.comment ? inLang(j.comment, review.reason_lang, lang) : undefined,
          ciCheck: c.ci_check,
          evidence: j?.ci_evidence ?? [],
        };
      }),
    },
  };
}

export function presentFile(
  file: { contract: ContractRow; opportunity: ContractOpportunity },
  rounds: readonly Round[],
  criteria: readonly WorkCriterion[],
  lang: Lang,
  now: Date,
) {
  const { contract, opportunity } = file;
  // The contract's own date once set (an extension moves it), else the opportunity's.
  const dueOn = (contract as { due_on?: string | null }).due_on ?? opportunity.delivery_due_on;
  return {
    id: contract.id,
    status: contract.status,
    reference: opportunity.reference,
    title: opportunity[`title_${lang}`],
    repositoryUrl: opportunity.repository_url,
    dueOn: dueOn ? formatCalendarDate(dueOn, lang) : '',
    criteria: criteria.map((c) => ({
      position: c.position,
      text: c[`text_${lang}`],
      ciCheck: c.ci_check,
    })),
    // The latest round first.
    rounds: rounds.map((r) => presentRound(r, criteria, lang, now)).reverse(),
  };
}

/** The criteria of the review form, each with its fields and its CI check's result, if named. */
export function reviewCriteria(
  criteria: readonly WorkCriterion[],
  checks: ReadonlyMap<number, { pullRequest: string; result: CheckResult }[]>,
  lang: Lang,
) {
  return criteria.map((c) => ({
    id: c.id,
    position: c.position,
    text: c[`text_${lang}`],
    ciCheck: c.ci_check,
    checks: checks.get(c.id) ?? [],
    metField: metField(c.id),
    commentField: commentField(c.id),
  }));
}
