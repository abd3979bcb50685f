import type { Db } from '../db/knex.ts';
import { federalHolidays } from '../platform/business-days.ts';
import type { ScopeBindings } from './repo.ts';

/**
 * The steps of the lifecycle whose time the metrics report, in the order a file goes through
 * them: the time an entity spends in a status, from the event that put it there to the next
 * status event of the same entity.
 */
const cycleSteps = [
  { entity: 'opportunity', state: 'submitted' },
  { entity: 'opportunity', state: 'screened' },
  { entity: 'opportunity', state: 'funds_approved' },
  { entity: 'opportunity', state: 'translated' },
  { entity: 'opportunity', state: 'ready' },
  { entity: 'opportunity', state: 'published' },
  { entity: 'opportunity', state: 'closed' },
  { entity: 'contract', state: 'offered' },
  { entity: 'contract', state: 'in_progress' },
  { entity: 'contract', state: 'delivered' },
  { entity: 'invoice', state: 'submitted' },
  { entity: 'invoice', state: 'certified' },
  { entity: 'payment', state: 'paid' },
] as const;

/** The whole journeys the Annex A baselines are about. */
const journeys = ['to_publish', 'to_award', 'to_pay'] as const;
export type Journey = (typeof journeys)[number];

/** Annex A of the close-out report, in calendar days (DOMAIN.md, "The lifecycle"). */
export const baselines: Record<Journey, { soleSource?: number; target?: number; pilot?: number }> =
  {
    to_publish: { pilot: 57.75 },
    to_award: { soleSource: 26, target: 23 },
    to_pay: { soleSource: 31, target: 7 },
  };

export interface Durations {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
  medianBusinessDays: number | null;
  p90BusinessDays: number | null;
}

export interface CycleTimes {
  steps: (Durations & { entity: string; state: string })[];
  journeys: (Durations & { journey: Journey })[];
}

/** The observed federal holidays the business-day counts skip, as a PostgreSQL date array. */
function holidaysLiteral(): string {
  const years = Array.from({ length: 12 }, (_, i) => 2020 + i);
  return `{${years.flatMap((y) => federalHolidays(y)).join(',')}}`;
}

/**
 * Each Toronto date from 2020 to 2031 numbered by the business days up to it, so the business
 * days between two instants are a difference of two numbers (a hash join, not a count per span).
 */
const businessCalendar = `
  calendar AS (
    SELECT d::date AS day,
      count(*) FILTER (WHERE extract(isodow FROM d) < 6 AND d::date <> ALL (CAST(:holidays AS date[])))
        OVER (ORDER BY d) AS business_number
    FROM generate_series(date '2020-01-01', date '2031-12-31', interval '1 day') AS d
  )`;

/**
 * Median and 90th percentile of each step and each journey, in calendar days (fractions of a
 * day) and in business days (the Toronto dates after the start up to the end that are weekdays
 * and no federal holiday), counted in SQL over the events. A span counts in the period its step
 * ended in, and in the department of its file.
 */
export async function cycleTimes(db: Db, scope: ScopeBindings): Promise<CycleTimes> {
  const inPeriod = (column: string) => `
    (CAST(:from AS timestamptz) IS NULL OR ${column} >= CAST(:from AS timestamptz))
    AND (CAST(:before AS timestamptz) IS NULL OR ${column} < CAST(:before AS timestamptz))`;
  const result = await db.raw(
    `WITH ${businessCalendar},
    status_events AS (
      SELECT e.entity_type, e.entity_id, e.opportunity_id, e.action, e.to_state, e.at,
        lead(e.at) OVER (PARTITION BY e.entity_type, e.entity_id ORDER BY e.at, e.id) AS left_at
      FROM events e
      WHERE e.to_state IS NOT NULL
        AND e.entity_type IN ('opportunity', 'contract', 'invoice', 'payment')
        AND (CAST(:departmentId AS int) IS NULL OR e.department_id = CAST(:departmentId AS int))
    ),
    firsts AS (
      SELECT opportunity_id,
        min(at) FILTER (WHERE entity_type = 'opportunity' AND action = 'submit') AS submitted_at,
        min(at) FILTER (WHERE entity_type = 'opportunity' AND action = 'publish') AS published_at,
        min(at) FILTER (WHERE entity_type = 'opportunity' AND to_state = 'awarded') AS awarded_at
      FROM status_events GROUP BY opportunity_id
    ),
    spans AS (
      SELECT entity_type || ':' || to_state AS step, at AS started_at, left_at AS ended_at
      FROM status_events WHERE left_at IS NOT NULL
      UNION ALL
      SELECT 'journey:to_publish', submitted_at, published_at FROM firsts
      WHERE submitted_at IS NOT NULL AND published_at IS NOT NULL
      UNION ALL
      SELECT 'journey:to_award', submitted_at, awarded_at FROM firsts
      WHERE submitted_at IS NOT NULL AND awarded_at IS NOT NULL
      UNION ALL
      SELECT 'journey:to_pay', i.received_at, min(s.at) FROM status_events s
      JOIN payments p ON p.id = s.entity_id JOIN invoices i ON i.id = p.invoice_id
      WHERE s.entity_type = 'payment' AND s.to_state = 'paid'
      GROUP BY p.id, i.received_at
    ),
    measured AS (
      SELECT step, extract(epoch FROM ended_at - started_at) / 86400 AS days,
        e.business_number - s.business_number AS business_days
      FROM spans
      JOIN calendar s ON s.day = (started_at AT TIME ZONE 'America/Toronto')::date
      JOIN calendar e ON e.day = (ended_at AT TIME ZONE 'America/Toronto')::date
      WHERE ${inPeriod('ended_at')}
    )
    SELECT step, count(*)::int AS count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float AS "medianDays",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY days)::float AS "p90Days",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY business_days)::float AS "medianBusinessDays",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY business_days)::float AS "p90BusinessDays"
    FROM measured GROUP BY step`,
    { ...scope, holidays: holidaysLiteral() },
  );
  const byStep = new Map<string, Durations>(
    (result.rows as (Durations & { step: string })[]).map(({ step, ...d }) => [step, d]),
  );
  const none: Durations = {
    count: 0,
    medianDays: null,
    p90Days: null,
    medianBusinessDays: null,
    p90BusinessDays: null,
  };
  return {
    steps: cycleSteps.map((s) => ({ ...s, ...(byStep.get(`${s.entity}:${s.state}`) ?? none) })),
    journeys: journeys.map((journey) => ({
      journey,
      ...(byStep.get(`journey:${journey}`) ?? none),
    })),
  };
}
