import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { InvoiceRow } from '../invoices/machine.ts';
import type { Lang } from '../platform/i18n.ts';

type Conn = Db | Knex.Transaction;

/** One submitted invoice in a section 34 manager's queue. */
export interface QueuedInvoice {
  invoice_id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  source_language: Lang;
  department_id: number;
  invoice_number: string;
  supplier_legal_name: string;
  amount_cents: number;
  received_at: Date;
  payment_due_on: string;
}

/** Submitted invoices of these departments, the oldest received first. */
export function submittedInvoices(
  db: Conn,
  departmentIds: readonly number[],
): Promise<QueuedInvoice[]> {
  return db('invoices as i')
    .join('opportunities as o', 'o.id', 'i.opportunity_id')
    .where('i.status', 'submitted')
    .whereIn('i.department_id', departmentIds)
    .orderBy([
      { column: 'i.received_at', order: 'asc' },
      { column: 'i.id', order: 'asc' },
    ])
    .select(
      'i.id as invoice_id',
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'o.source_language',
      'i.department_id',
      'i.invoice_number',
      'i.supplier_legal_name',
      'i.amount_cents',
      'i.received_at',
      'i.payment_due_on',
    );
}

/** The invoice as the supplier issued it, with its lifecycle columns. */
export interface InvoiceRecord extends InvoiceRow {
  invoice_number: string;
  invoice_date: string;
  received_at: Date;
  payment_due_on: string;
  reservation_number: string;
  pre_tax_cents: number;
  province: string;
  gst_hst_number: string | null;
  tax_kind: 'GST' | 'HST' | null;
  tax_basis_points: number;
  tax_cents: number;
  supplier_legal_name: string;
  supplier_email: string;
}

/**
 * The opportunity's invoice: one per contract, and only the accepted contract of an opportunity
 * has one, so the latest is the one to certify.
 */
export function invoiceOfOpportunity(
  db: Conn,
  opportunityId: number,
): Promise<InvoiceRecord | undefined> {
  return db('invoices').where({ opportunity_id: opportunityId }).orderBy('id', 'desc').first();
}

/** The section 32 record: the reservation held (or last released) and who approved it. */
export interface Section32Record {
  reservation_number: string;
  amount_cents: number;
  released_cents: number;
  cost_centre: string;
  fund: string;
  gl_account: string;
  approved_by: number;
  approved_at: Date;
  approver_name: string;
  approver_email: string;
}

export function section32RecordOf(
  db: Conn,
  opportunityId: number,
): Promise<Section32Record | undefined> {
  return db('fund_reservations as r')
    .join('users as a', 'a.id', 'r.approved_by')
    .where({ 'r.opportunity_id': opportunityId })
    .orderByRaw('r.released_at IS NULL DESC, r.id DESC')
    .first(
      'r.reservation_number',
      'r.amount_cents',
      'r.released_cents',
      'r.cost_centre',
      'r.fund',
      'r.gl_account',
      'r.approved_by',
      'r.approved_at',
      'a.display_name as approver_name',
      'a.email as approver_email',
    );
}

export interface AcceptanceCriterion {
  id: number;
  position: number;
  text_en: string;
  text_fr: string;
  /** The CI check the client named for it, whose result the review read on the pull request. */
  ci_check: string | null;
}

/** A CI check's result on one delivered pull request, as the client's review recorded it. */
export interface CheckEvidence {
  state: string;
  href?: string;
  pullRequest: string;
}

/** The CI evidence each criterion's judgement recorded, by criterion, in the contract's last review. */
export async function checkEvidenceOf(
  db: Conn,
  contractId: number,
): Promise<Map<number, CheckEvidence[]>> {
  const last = await db('delivery_reviews as r')
    .join('deliveries as d', 'd.id', 'r.delivery_id')
    .where({ 'd.contract_id': contractId })
    .orderBy('d.round', 'desc')
    .first('r.id');
  if (!last) return new Map();
  const rows: { acceptance_criterion_id: number; ci_evidence: CheckEvidence[] | null }[] = await db(
    'delivery_review_criteria',
  )
    .where({ review_id: last.id })
    .whereNotNull('ci_evidence')
    .select('acceptance_criterion_id', 'ci_evidence');
  return new Map(rows.map((r) => [Number(r.acceptance_criterion_id), r.ci_evidence ?? []]));
}

/** The work acceptance criteria, in order, in both languages. */
export function acceptanceCriteriaOf(
  db: Conn,
  opportunityId: number,
): Promise<AcceptanceCriterion[]> {
  return db('acceptance_criteria')
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'position', 'text_en', 'text_fr', 'ci_check');
}

/** The contract's steps that make the delivery and acceptance record, oldest first. */
export interface ContractStep {
  action: string;
  at: Date;
  reason: string | null;
  payload: Record<string, unknown>;
  actor_name: string | null;
}

export function contractStepsOf(db: Conn, contractId: number): Promise<ContractStep[]> {
  return db('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .where({ 'e.entity_type': 'contract', 'e.entity_id': contractId })
    .whereIn('e.action', ['accept_terms', 'deliver', 'request_revisions', 'accept_work'])
    .orderBy([
      { column: 'e.at', order: 'asc' },
      { column: 'e.id', order: 'asc' },
    ])
    .select('e.action', 'e.at', 'e.reason', 'e.payload', 'u.display_name as actor_name');
}

export interface CertificationRow {
  certified_by: number;
  certified_at: Date;
  wording: string;
  wording_lang: Lang;
  evidence: Record<string, unknown>;
  certifier_name: string;
}

export function certificationOf(
  db: Conn,
  invoiceId: number,
): Promise<CertificationRow | undefined> {
  return db('invoice_certifications as c')
    .join('users as u', 'u.id', 'c.certified_by')
    .where({ 'c.invoice_id': invoiceId })
    .first(
      'c.certified_by',
      'c.certified_at',
      'c.wording',
      'c.wording_lang',
      'c.evidence',
      'u.display_name as certifier_name',
    );
}

/** The section 34 record; the database lets the invoice be certified only once it exists. */
export async function insertCertification(
  trx: Knex.Transaction,
  c: {
    invoiceId: number;
    opportunityId: number;
    departmentId: number;
    certifiedBy: number;
    at: Date;
    wording: string;
    lang: Lang;
    evidence: Record<string, unknown>;
  },
): Promise<void> {
  await trx('invoice_certifications').insert({
    invoice_id: c.invoiceId,
    opportunity_id: c.opportunityId,
    department_id: c.departmentId,
    certified_by: c.certifiedBy,
    certified_at: c.at,
    wording: c.wording,
    wording_lang: c.lang,
    evidence: JSON.stringify(c.evidence),
  });
}

/** A reservation still held on an opportunity that no longer needs it, with what was paid. */
export interface HeldFunds {
  opportunity_id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  source_language: Lang;
  status: string;
  department_id: number;
  reservation_number: string;
  amount_cents: number;
  released_cents: number;
  paid_cents: number;
  release_requested_at: Date | null;
}

/** Exits after which nothing more will be paid from the reservation (DOMAIN.md, side exits). */
const fundsNoLongerNeeded = [
  'cancelled',
  'no_qualified_applicant',
  'terminated',
  'completed',
] as const;

/**
 * The reservations still held on cancelled, no-qualified, terminated and completed
 * opportunities of these departments, with the payments made from them (paid or confirmed).
 */
export function heldFundsOf(
  db: Conn,
  departmentIds: readonly number[],
  only?: { reference: string },
): Promise<HeldFunds[]> {
  const paid = db('payments as p')
    .whereRaw('p.opportunity_id = o.id')
    .whereIn('p.status', ['paid', 'confirmed'])
    .sum('p.amount_cents');
  return db('fund_reservations as r')
    .join('opportunities as o', 'o.id', 'r.opportunity_id')
    .whereNull('r.released_at')
    .whereIn('o.status', fundsNoLongerNeeded)
    .whereIn('o.department_id', departmentIds)
    .modify((q) => {
      if (only) q.where('o.reference', only.reference);
    })
    .orderBy([
      { column: 'o.updated_at', order: 'asc' },
      { column: 'o.id', order: 'asc' },
    ])
    .select(
      'o.id as opportunity_id',
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'o.source_language',
      'o.status',
      'o.department_id',
      'r.reservation_number',
      'r.amount_cents',
      'r.released_cents',
      'r.release_requested_at',
      db.raw('coalesce((?), 0)::bigint as paid_cents', [paid]),
    );
}
