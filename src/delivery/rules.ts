import { DateTime } from 'luxon';
import { EASTERN, easternDate, easternInstant } from '../platform/dates.ts';

/**
 * A problem with delivered work must be reported to the supplier within 15 days of delivery
 * (DOMAIN.md, payment): the last day, in Eastern calendar days, `YYYY-MM-DD`.
 */
const DAYS_TO_REPORT_A_PROBLEM = 15;

export function problemReportDeadline(deliveredAt: Date): string {
  return (
    DateTime.fromISO(easternDate(deliveredAt), { zone: EASTERN })
      .plus({ days: DAYS_TO_REPORT_A_PROBLEM })
      .toISODate() ?? ''
  );
}

/** The client is reminded three days before that last day, at 9 a.m. Eastern, if not reviewed. */
export function reviewReminderAt(deliveredAt: Date): Date {
  const day = DateTime.fromISO(problemReportDeadline(deliveredAt), { zone: EASTERN })
    .minus({ days: 3 })
    .toISODate();
  return easternInstant(day ?? '', 9);
}

export type ReviewDecision = 'accept' | 'revisions';

/** What a review may not be, as a guard code (locale key under `delivery.refusals`). */
export function reviewProblem(
  decision: ReviewDecision,
  judgements: readonly { met: boolean }[],
  criteria: number,
  reason: string,
): string | undefined {
  if (judgements.length !== criteria) return 'delivery_not_judged';
  const unmet = judgements.filter((j) => !j.met).length;
  if (decision === 'accept' && unmet > 0) return 'delivery_unmet';
  if (decision === 'revisions' && unmet === 0 && reason.trim() === '') {
    return 'delivery_nothing_missing';
  }
  return undefined;
}
