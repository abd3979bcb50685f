import type { Db } from '../db/knex.ts';
import type { ScopeBindings } from './repo.ts';

/**
 * The rows of the staff exports, each read by one SQL query over the scope (a department or all,
 * a fiscal year or every one). The dates come back as instants; the files show Toronto dates.
 */

/** A contract the winner accepted: under way, done, or ended since for non-delivery. */
const AWARDED = `('in_progress', 'delivered', 'accepted', 'completed', 'terminated')`;
/** An application that was sent and not withdrawn (as the metrics count them). */
const SENT = `('submitted', 'passed', 'failed')`;
const inDepartment = (column: string) =>
  `(CAST(:departmentId AS int) IS NULL OR ${column} = CAST(:departmentId AS int))`;
const inPeriod = (
  column: string,
) => `(CAST(:from AS timestamptz) IS NULL OR ${column} >= CAST(:from AS timestamptz))
      AND (CAST(:before AS timestamptz) IS NULL OR ${column} < CAST(:before AS timestamptz))`;

/** The opportunities of the scope: those published in it (their first publication). */
const published = `
  published AS (
    SELECT e.entity_id AS id, min(e.at) AS published_at
    FROM events e
    WHERE e.entity_type = 'opportunity' AND e.action = 'publish' AND ${inDepartment('e.department_id')}
    GROUP BY e.entity_id
    HAVING ${inPeriod('min(e.at)')}
  )`;

interface OpportunityRow {
  reference: string;
  title_en: string;
  title_fr: string;
  department_en: string;
  department_fr: string;
  status: string;
  price_cents: number;
  max_total_cents: number;
  published_at: Date;
  closes_at: Date | null;
  awarded_at: Date | null;
  completed_at: Date | null;
  applications: number;
}

export async function opportunityRows(db: Db, scope: ScopeBindings): Promise<OpportunityRow[]> {
  const result = await db.raw(
    `WITH ${published},
    contracted AS (
      SELECT e.opportunity_id AS id,
        max(e.at) FILTER (WHERE e.action = 'accept_terms') AS awarded_at,
        max(e.at) FILTER (WHERE e.action = 'complete_contract') AS completed_at
      FROM events e JOIN published p ON p.id = e.opportunity_id
      WHERE e.entity_type = 'contract' AND e.action IN ('accept_terms', 'complete_contract')
      GROUP BY e.opportunity_id
    ),
    applied AS (
      SELECT a.opportunity_id AS id, count(*)::int AS n
      FROM applications a JOIN published p ON p.id = a.opportunity_id
      WHERE a.status IN ${SENT}
      GROUP BY a.opportunity_id
    )
    SELECT o.reference, o.title_en, o.title_fr, d.name_en AS department_en,
      d.name_fr AS department_fr, o.status, o.price_cents, o.max_total_cents, p.published_at,
      o.closes_at, c.awarded_at, c.completed_at, coalesce(a.n, 0) AS applications
    FROM published p
    JOIN opportunities o ON o.id = p.id
    JOIN departments d ON d.id = o.department_id
    LEFT JOIN contracted c ON c.id = p.id
    LEFT JOIN applied a ON a.id = p.id
    ORDER BY o.reference`,
    { ...scope },
  );
  return result.rows as OpportunityRow[];
}

interface ApplicationRow {
  reference: string;
  /** Its place among the opportunity's applications by submission: "Applicant 1", "Applicant 2"… */
  number: number;
  submitted_at: Date | null;
  status: 'submitted' | 'passed' | 'failed';
  won: boolean;
}

/**
 * The applications to the scope's opportunities, with nothing that names or points at their
 * supplier: no user, no profile, no answer and no self-identification is read. The number is
 * counted afresh within each opportunity, so one supplier's applications to two opportunities
 * cannot be linked.
 */
export async function applicationRows(db: Db, scope: ScopeBindings): Promise<ApplicationRow[]> {
  const result = await db.raw(
    `WITH ${published},
    sent AS (
      SELECT a.id, a.opportunity_id, a.status,
        (SELECT max(e.at) FROM events e WHERE e.entity_type = 'application' AND e.entity_id = a.id
          AND e.action IN ('submit', 'revise')) AS submitted_at,
        EXISTS (SELECT 1 FROM contracts c
          WHERE c.application_id = a.id AND c.status IN ${AWARDED}) AS won
      FROM applications a JOIN published p ON p.id = a.opportunity_id
      WHERE a.status IN ${SENT}
    )
    SELECT o.reference,
      row_number() OVER (PARTITION BY s.opportunity_id ORDER BY s.submitted_at, s.id)::int AS number,
      s.submitted_at, s.status, s.won
    FROM sent s JOIN opportunities o ON o.id = s.opportunity_id
    ORDER BY o.reference, number`,
    { ...scope },
  );
  return result.rows as ApplicationRow[];
}

interface PaymentRow {
  invoice_number: string;
  reference: string;
  method: string;
  status: string;
  amount_cents: number;
  supplier_legal_name: string;
  supplier_email: string;
  received_at: Date;
  certified_at: Date | null;
  /** The date the payment record gives (the card charged, the payout settled); none until paid. */
  paid_on: string | null;
  /** Calendar days from the invoice's receipt (its Toronto date) to the payment's date. */
  days_to_pay: number | null;
}

/** The payments of the invoices received in the scope, every attempt (a failed payout too). */
export async function paymentRows(db: Db, scope: ScopeBindings): Promise<PaymentRow[]> {
  const result = await db.raw(
    `SELECT i.invoice_number, o.reference, p.method, p.status, p.amount_cents,
      i.supplier_legal_name, i.supplier_email, i.received_at, ic.certified_at, p.paid_on,
      (p.paid_on - (i.received_at AT TIME ZONE 'America/Toronto')::date) AS days_to_pay
    FROM payments p
    JOIN invoices i ON i.id = p.invoice_id
    JOIN opportunities o ON o.id = p.opportunity_id
    LEFT JOIN invoice_certifications ic ON ic.invoice_id = i.id
    WHERE ${inDepartment('p.department_id')} AND ${inPeriod('i.received_at')}
    ORDER BY i.received_at, p.id`,
    { ...scope },
  );
  return result.rows as PaymentRow[];
}

interface QuarterRow {
  department_en: string;
  department_fr: string;
  fiscal_year: number;
  quarter: 1 | 2 | 3 | 4;
  contracts: number;
  value_cents: number;
}

/**
 * Contracts by department and fiscal quarter (Q1 April–June … Q4 January–March, Toronto time),
 * as the proactive disclosure of contracts under $10,000 reports them: how many, and their total
 * value. A contract counts in the quarter its winner accepted the terms (the award), at the
 * opportunity's value with tax (the most it can cost, what section 32 reserved). Every quarter
 * of the years asked for that has begun is listed, for every department in scope, none or not.
 */
export async function quarterRows(
  db: Db,
  scope: ScopeBindings,
  years: { first: number; last: number; today: string },
): Promise<QuarterRow[]> {
  // Three months back, a Toronto wall-clock time falls in the calendar quarter and year that
  // are its fiscal quarter and year: April 1 is January 1, March 31 is December 31 before.
  const result = await db.raw(
    `WITH awards AS (
      SELECT c.department_id, o.max_total_cents,
        (e.at AT TIME ZONE 'America/Toronto') - interval '3 months' AS shifted
      FROM events e
      JOIN contracts c ON c.id = e.entity_id
      JOIN opportunities o ON o.id = c.opportunity_id
      WHERE e.entity_type = 'contract' AND e.action = 'accept_terms'
        AND ${inDepartment('e.department_id')} AND ${inPeriod('e.at')}
    ),
    counted AS (
      SELECT department_id, extract(year FROM shifted)::int AS fiscal_year,
        extract(quarter FROM shifted)::int AS quarter, count(*)::int AS contracts,
        sum(max_total_cents)::bigint AS value_cents
      FROM awards GROUP BY 1, 2, 3
    )
    SELECT d.name_en AS department_en, d.name_fr AS department_fr, y AS fiscal_year, q AS quarter,
      coalesce(c.contracts, 0) AS contracts, coalesce(c.value_cents, 0) AS value_cents
    FROM departments d
    CROSS JOIN generate_series(CAST(:first AS int), CAST(:last AS int)) AS y
    CROSS JOIN generate_series(1, 4) AS q
    LEFT JOIN counted c ON c.department_id = d.id AND c.fiscal_year = y AND c.quarter = q
    WHERE ${inDepartment('d.id')}
      AND make_date(y, 4, 1) + (q - 1) * interval '3 months' <= CAST(:today AS date)
    ORDER BY y, q, d.acronym_en`,
    { ...scope, ...years },
  );
  return (result.rows as QuarterRow[]).map((r) => ({ ...r, value_cents: Number(r.value_cents) }));
}
