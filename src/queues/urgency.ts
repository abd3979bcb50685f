import { easternDate } from '../platform/dates.ts';

/** What makes a queue line urgent: how long it has waited, and the last day a rule gives it. */
export interface Urgency {
  waitingSince: Date;
  /** The last day (Eastern calendar date, `YYYY-MM-DD`) a rule sets, or null where none does. */
  dueOn: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days waited, never negative. */
export function ageInDays(waitingSince: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - waitingSince.getTime()) / DAY_MS));
}

/** Past its last day: the Eastern calendar day today is after the due date. */
export function isOverdue(dueOn: string | null, now: Date): boolean {
  return dueOn !== null && easternDate(now) > dueOn;
}

/**
 * Overdue first, then the nearest due date, then the longest wait: what a person should do
 * next is at the top. ISO dates compare as strings.
 */
export function byUrgency(now: Date) {
  return (a: Urgency, b: Urgency): number => {
    const late = Number(isOverdue(b.dueOn, now)) - Number(isOverdue(a.dueOn, now));
    if (late !== 0) return late;
    if (a.dueOn !== b.dueOn) {
      if (a.dueOn === null) return 1;
      if (b.dueOn === null) return -1;
      return a.dueOn < b.dueOn ? -1 : 1;
    }
    return a.waitingSince.getTime() - b.waitingSince.getTime();
  };
}
