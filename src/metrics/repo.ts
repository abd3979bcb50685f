import type { Db } from '../db/knex.ts';
import type { Period } from './scope.ts';

/** The binding every metrics query takes: the department (or null for all) and the period. */
export interface ScopeBindings extends Period {
  departmentId: number | null;
}

/**
 * The events a scope covers, as a CTE: each figure is about what happened in the period (a
 * request received, an opportunity published, a payment made), in the department.
 */
const scopedEvents = `
  scoped AS (
    SELECT e.entity_type, e.entity_id, e.opportunity_id, e.action, e.to_state, e.at
    FROM events e
    WHERE (CAST(:departmentId AS int) IS NULL OR e.department_id = CAST(:departmentId AS int))
      AND (CAST(:from AS timestamptz) IS NULL OR e.at >= CAST(:from AS timestamptz))
      AND (CAST(:before AS timestamptz) IS NULL OR e.at < CAST(:before AS timestamptz))
  )`;

export interface MainFigures {
  requestsReceived: number;
  requestsScreened: number;
  requestsDeclined: number;
  requestsFlaggedSplitting: number;
  opportunitiesPublished: number;
  applications: number;
  uniqueSuppliers: number;
  returningSuppliers: number;
  clients: number;
  returningClients: number;
  offers: number;
  offersAccepted: number;
  contractsStarted: number;
  contractsCompleted: number;
  paidCents: number;
  payments: number;
  newRepositories: number;
  /** Calendar days from an invoice's receipt to its payment, median; null with no payment. */
  medianDaysToPay: number | null;
}

/**
 * Every headline figure in one query: counts of distinct records whose defining event falls in
 * the scope (a request counts once however often it was submitted again after a return).
 */
export async function mainFigures(db: Db, scope: ScopeBindings): Promise<MainFigures> {
  const result = await db.raw(
    `WITH ${scopedEvents},
    received AS (
      SELECT DISTINCT entity_id AS id FROM scoped WHERE entity_type = 'opportunity' AND action = 'submit'
    ),
    published AS (
      SELECT DISTINCT entity_id AS id FROM scoped WHERE entity_type = 'opportunity' AND action = 'publish'
    ),
    applied AS (
      SELECT a.supplier_id, a.opportunity_id FROM applications a JOIN published p ON p.id = a.opportunity_id
      WHERE a.status IN ('submitted', 'passed', 'failed')
    ),
    per_supplier AS (SELECT supplier_id, count(*) AS n FROM applied GROUP BY supplier_id),
    per_client AS (
      SELECT o.requester_id, count(*) AS n FROM opportunities o JOIN received r ON r.id = o.id
      GROUP BY o.requester_id
    ),
    offered AS (
      SELECT DISTINCT entity_id AS id FROM scoped WHERE entity_type = 'contract' AND to_state = 'offered'
    ),
    started AS (
      SELECT DISTINCT entity_id AS id FROM scoped WHERE entity_type = 'contract' AND action = 'accept_terms'
    ),
    paid AS (
      SELECT DISTINCT s.entity_id AS id, min(s.at) AS paid_at FROM scoped s
      WHERE s.entity_type = 'payment' AND s.to_state = 'paid' GROUP BY s.entity_id
    ),
    first_accepted AS (
      SELECT o.repository, min(e.at) AS at FROM events e JOIN opportunities o ON o.id = e.opportunity_id
      WHERE e.entity_type = 'contract' AND e.action = 'accept_work' AND o.repository IS NOT NULL
      GROUP BY o.repository
    )
    SELECT
      (SELECT count(*) FROM received)::int AS "requestsReceived",
      (SELECT count(DISTINCT entity_id) FROM scoped WHERE entity_type = 'opportunity' AND action = 'screen')::int AS "requestsScreened",
      (SELECT count(DISTINCT entity_id) FROM scoped WHERE entity_type = 'opportunity' AND action = 'decline')::int AS "requestsDeclined",
      (SELECT count(*) FROM opportunities o JOIN received r ON r.id = o.id
        WHERE o.splitting_justification IS NOT NULL)::int AS "requestsFlaggedSplitting",
      (SELECT count(*) FROM published)::int AS "opportunitiesPublished",
      (SELECT count(*) FROM applied)::int AS applications,
      (SELECT count(*) FROM per_supplier)::int AS "uniqueSuppliers",
      (SELECT count(*) FROM per_supplier WHERE n > 1)::int AS "returningSuppliers",
      (SELECT count(*) FROM per_client)::int AS clients,
      (SELECT count(*) FROM per_client WHERE n > 1)::int AS "returningClients",
      (SELECT count(*) FROM offered)::int AS offers,
      (SELECT count(*) FROM offered o JOIN started s ON s.id = o.id)::int AS "offersAccepted",
      (SELECT count(*) FROM started)::int AS "contractsStarted",
      (SELECT count(*) FROM started s JOIN contracts c ON c.id = s.id
        WHERE c.status IN ('accepted', 'completed'))::int AS "contractsCompleted",
      (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p JOIN paid ON paid.id = p.id)::bigint AS "paidCents",
      (SELECT count(*) FROM paid)::int AS payments,
      (SELECT count(*) FROM first_accepted f
        WHERE (CAST(:from AS timestamptz) IS NULL OR f.at >= CAST(:from AS timestamptz))
          AND (CAST(:before AS timestamptz) IS NULL OR f.at < CAST(:before AS timestamptz))
          AND (CAST(:departmentId AS int) IS NULL OR EXISTS (
            SELECT 1 FROM opportunities o WHERE o.repository = f.repository
              AND o.department_id = CAST(:departmentId AS int))))::int AS "newRepositories",
      (SELECT percentile_cont(0.5) WITHIN GROUP (
          ORDER BY extract(epoch FROM paid.paid_at - i.received_at) / 86400)
        FROM paid JOIN payments p ON p.id = paid.id JOIN invoices i ON i.id = p.invoice_id
        WHERE i.received_at IS NOT NULL)::float AS "medianDaysToPay"`,
    { ...scope },
  );
  const row = result.rows[0] as MainFigures;
  return { ...row, paidCents: Number(row.paidCents) };
}

/** Confirmed mailing-list subscribers at the end of the period (now when it has none). */
export async function confirmedSubscribers(
  db: Db,
  before: Date | null,
  now: Date,
): Promise<number> {
  const at = before && before < now ? before : now;
  const row = await db('subscribers')
    .where('confirmed_at', '<', at)
    .andWhere((q) => q.whereNull('unsubscribed_at').orWhere('unsubscribed_at', '>=', at))
    .first(db.raw('count(*)::int AS n'));
  return (row as { n: number }).n;
}

/** The instant of the first event: where the fiscal years to choose from begin. */
export async function firstEventAt(db: Db): Promise<Date | null> {
  // The first event by its key, read from the index (events are appended in time order).
  const row = await db('events').orderBy('id').first('at');
  return (row as { at: Date } | undefined)?.at ?? null;
}

/** The departments a person may filter by: those given, or every one (null). */
export async function departmentChoices(
  db: Db,
  ids: number[] | null,
): Promise<{ id: number; name_en: string; name_fr: string }[]> {
  return db('departments')
    .modify((q) => {
      if (ids) q.whereIn('id', ids);
    })
    .orderBy('acronym_en')
    .select('id', 'name_en', 'name_fr');
}
