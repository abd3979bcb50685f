import { easternDate, easternInstant } from '../platform/dates.ts';

/** What a metrics page counts: one department or all, one fiscal year or every one. */
export interface MetricsScope {
  departmentId?: number;
  /** The federal fiscal year starting April 1 of this year (2026 = 2026-04-01 to 2027-03-31). */
  fiscalYear?: number;
}

/** The instants a scope spans: Toronto midnight of April 1 to Toronto midnight of the next April 1. */
export interface Period {
  from: Date | null;
  before: Date | null;
}

export function periodOf(scope: MetricsScope): Period {
  if (scope.fiscalYear === undefined) return { from: null, before: null };
  return {
    from: easternInstant(`${scope.fiscalYear}-04-01`, 0),
    before: easternInstant(`${scope.fiscalYear + 1}-04-01`, 0),
  };
}

/** The fiscal year an instant falls in, by its Toronto date: March 31 is the year before's. */
export function fiscalYearOf(at: Date): number {
  const [year, month] = easternDate(at).split('-').map(Number) as [number, number];
  return month >= 4 ? year : year - 1;
}

/** The fiscal years a staff person can pick: from the platform's first event to today's. */
export function fiscalYearsBetween(first: Date, now: Date): number[] {
  const years: number[] = [];
  for (let y = fiscalYearOf(now); y >= fiscalYearOf(first); y -= 1) years.push(y);
  return years;
}
