/**
 * The moments a supplier is asked for feedback, each stored with the answer so the metrics can
 * tell them apart: right after submitting, and after each outcome.
 */
export const feedbackSteps = ['application_submitted', 'selected', 'not_drawn', 'not_met'] as const;
export type FeedbackStep = (typeof feedbackSteps)[number];

export function isFeedbackStep(value: unknown): value is FeedbackStep {
  return feedbackSteps.includes(value as FeedbackStep);
}

/** Where an application stands, as far as feedback is concerned. */
export interface ApplicationStanding {
  status: string;
  opportunityStatus: string;
  /** A contract was offered for this application (the supplier was drawn, first or later). */
  offered: boolean;
}

const drawDone = ['drawn', 'awarded', 'completed', 'terminated'];

/**
 * The steps this application has reached, oldest first: feedback is taken only on a step the
 * supplier has lived (a page loaded before an outcome cannot answer for it).
 */
export function stepsReached(a: ApplicationStanding): FeedbackStep[] {
  const steps: FeedbackStep[] = [];
  if (['submitted', 'passed', 'failed'].includes(a.status)) steps.push('application_submitted');
  if (a.status === 'failed') steps.push('not_met');
  if (a.status === 'passed' && !a.offered && drawDone.includes(a.opportunityStatus)) {
    steps.push('not_drawn');
  }
  if (a.offered) steps.push('selected');
  return steps;
}
