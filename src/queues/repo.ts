import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';

/** One thing waiting, as a queue shows it: what it is, since when, and its rule's last day. */
export interface LineRow {
  /** The id the line's page takes (a contract, an application, an invoice). */
  id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  source_language: Lang;
  waiting_since: Date;
  /** A due instant (an offer's answer) or a due calendar date; null where no rule sets one. */
  due: Date | string | null;
}

const titles = ['o.reference', 'o.title_en', 'o.title_fr', 'o.source_language'];

const latestEventOf = (entity: string, alias: string) =>
  `coalesce((SELECT max(e.at) FROM events e WHERE e.entity_type = '${entity}' AND e.entity_id = ${alias}.id), ${alias}.updated_at)`;

function contractsIn(db: Db, status: string) {
  return db('contracts as c')
    .join('opportunities as o', 'o.id', 'c.opportunity_id')
    .where('c.status', status)
    .orderBy('c.id');
}

/** Delivered work the requester has to accept or send back, waiting since the latest round. */
export function deliveriesToReview(
  db: Db,
  departmentIds: readonly number[],
  requesterId: number,
): Promise<LineRow[]> {
  return contractsIn(db, 'delivered')
    .whereIn('c.department_id', departmentIds)
    .where('o.requester_id', requesterId)
    .select<LineRow[]>(
      'c.id',
      ...titles,
      db.raw(
        `(SELECT max(d.delivered_at) FROM deliveries d WHERE d.contract_id = c.id) as waiting_since`,
      ),
      db.raw('NULL as due'),
    );
}

/** Offers the drawn supplier has not answered yet, with the end of their window. */
export function offersAwaitingSupplier(
  db: Db,
  departmentIds: readonly number[],
): Promise<LineRow[]> {
  return contractsIn(db, 'offered')
    .whereIn('c.department_id', departmentIds)
    .select<LineRow[]>('c.id', ...titles, 'c.created_at as waiting_since', 'c.respond_by as due');
}

/** Opportunities no applicant qualified for: the program team re-posts or cancels them. */
export function noQualifiedApplicant(db: Db, departmentIds: readonly number[]): Promise<LineRow[]> {
  return db('opportunities as o')
    .whereIn('o.department_id', departmentIds)
    .where('o.status', 'no_qualified_applicant')
    .orderBy('o.id')
    .select<LineRow[]>(
      'o.id',
      ...titles,
      db.raw(`${latestEventOf('opportunity', 'o')} as waiting_since`),
      db.raw('NULL as due'),
    );
}

/** A supplier's drafts on open opportunities, due at the closing date. */
export function draftsOf(db: Db | Knex.Transaction, supplierId: number): Promise<LineRow[]> {
  return db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where({ 'a.supplier_id': supplierId, 'a.status': 'draft', 'o.status': 'published' })
    .orderBy('a.id')
    .select<LineRow[]>('a.id', ...titles, 'a.created_at as waiting_since', 'o.closes_at as due');
}

/** A supplier's offers to accept, due at the end of their window. */
export function offersOf(db: Db, supplierId: number): Promise<LineRow[]> {
  return contractsIn(db, 'offered')
    .where('c.supplier_id', supplierId)
    .select<LineRow[]>('c.id', ...titles, 'c.created_at as waiting_since', 'c.respond_by as due');
}

/** Work under way, due on the contract's due date. */
export function workDueOf(db: Db, supplierId: number): Promise<LineRow[]> {
  return contractsIn(db, 'in_progress')
    .where('c.supplier_id', supplierId)
    .select<LineRow[]>(
      'c.id',
      ...titles,
      db.raw(`${latestEventOf('contract', 'c')} as waiting_since`),
      db.raw(`to_char(c.due_on, 'YYYY-MM-DD') as due`),
    );
}

/** Work under way whose midpoint check-in the supplier has not given yet. */
export function checkInsOf(db: Db, supplierId: number): Promise<LineRow[]> {
  return contractsIn(db, 'in_progress')
    .where('c.supplier_id', supplierId)
    .whereNotNull('c.midpoint_on')
    .whereNotExists((q) =>
      q
        .from('events as e')
        .where({ 'e.entity_type': 'contract', 'e.action': 'check_in' })
        .whereRaw('e.entity_id = c.id'),
    )
    .select<LineRow[]>(
      'c.id',
      ...titles,
      db.raw(`${latestEventOf('contract', 'c')} as waiting_since`),
      db.raw(`to_char(c.midpoint_on, 'YYYY-MM-DD') as due`),
    );
}

/** Accepted work with no invoice yet: the supplier's to send. */
export function invoicesToSendOf(db: Db, supplierId: number): Promise<LineRow[]> {
  return contractsIn(db, 'accepted')
    .where('c.supplier_id', supplierId)
    .whereNotExists((q) => q.from('invoices as i').whereRaw('i.contract_id = c.id'))
    .select<LineRow[]>(
      'c.id',
      ...titles,
      db.raw(`${latestEventOf('contract', 'c')} as waiting_since`),
      db.raw('NULL as due'),
    );
}

/** Invoices sent and not paid yet, due 30 days after the later of invoice and acceptance. */
export function paymentsExpectedOf(db: Db, supplierId: number): Promise<LineRow[]> {
  return db('invoices as i')
    .join('opportunities as o', 'o.id', 'i.opportunity_id')
    .where('i.supplier_id', supplierId)
    .whereIn('i.status', ['submitted', 'certified'])
    .whereNotExists((q) =>
      q
        .from('payments as m')
        .whereRaw('m.invoice_id = i.id')
        .whereIn('m.status', ['paid', 'confirmed']),
    )
    .orderBy('i.id')
    .select<LineRow[]>(
      'i.contract_id as id',
      ...titles,
      'i.received_at as waiting_since',
      db.raw(`to_char(i.payment_due_on, 'YYYY-MM-DD') as due`),
    );
}

/** When each of these opportunities last changed state. */
export async function latestEventsOf(
  db: Db,
  opportunityIds: readonly number[],
): Promise<Map<number, Date>> {
  if (opportunityIds.length === 0) return new Map();
  const rows: { id: string; at: Date }[] = await db('events')
    .where('entity_type', 'opportunity')
    .whereIn('entity_id', opportunityIds)
    .groupBy('entity_id')
    .select('entity_id as id', db.raw('max(at) as at'));
  return new Map(rows.map((r) => [Number(r.id), r.at]));
}
