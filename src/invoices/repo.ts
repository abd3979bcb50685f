import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { provinces, type Province } from '../platform/money.ts';
import type { InvoiceRow } from './machine.ts';

type Conn = Db | Knex.Transaction;

/** The contract an invoice is for, with what the invoice takes from its opportunity. */
export interface InvoicedContract {
  id: number;
  status: string;
  opportunity_id: number;
  department_id: number;
  supplier_id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  price_cents: number;
  department_en: string;
  department_fr: string;
}

export function findInvoicedContract(
  db: Conn,
  contractId: number,
  options: { lock?: boolean } = {},
): Promise<InvoicedContract | undefined> {
  return db('contracts as c')
    .join('opportunities as o', 'o.id', 'c.opportunity_id')
    .join('departments as d', 'd.id', 'c.department_id')
    .where('c.id', contractId)
    .modify((q) => {
      if (options.lock) q.forUpdate('c');
    })
    .first(
      'c.id',
      'c.status',
      'c.opportunity_id',
      'c.department_id',
      'c.supplier_id',
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'o.price_cents',
      'd.name_en as department_en',
      'd.name_fr as department_fr',
    );
}

/** An invoice as issued: the stored columns the pages, the PDF and the service read. */
export interface IssuedInvoice extends InvoiceRow {
  invoice_number: string;
  invoice_date: string;
  received_at: Date;
  payment_due_on: string;
  reservation_number: string;
  pre_tax_cents: number;
  province: Province;
  gst_hst_number: string | null;
  tax_kind: 'GST' | 'HST' | null;
  tax_basis_points: number;
  tax_cents: number;
  supplier_legal_name: string;
  supplier_email: string;
}

export function findInvoiceOfContract(
  db: Conn,
  contractId: number,
): Promise<IssuedInvoice | undefined> {
  return db('invoices').where({ contract_id: contractId }).first();
}

/** When the client accepted the work: the contract's latest `accept_work` step. */
export async function acceptedAtOf(db: Conn, contractId: number): Promise<Date | undefined> {
  const row = await db('events')
    .where({ entity_type: 'contract', entity_id: contractId, action: 'accept_work' })
    .orderBy('at', 'desc')
    .first('at');
  return row?.at;
}

/** The reservation number of the funds still held for the opportunity. */
export async function heldReservationNumber(
  db: Conn,
  opportunityId: number,
): Promise<string | undefined> {
  const row = await db('fund_reservations')
    .where({ opportunity_id: opportunityId })
    .whereNull('released_at')
    .first('reservation_number');
  return row?.reservation_number;
}

/** Who issues the invoice, from their supplier profile and account. */
export interface Issuer {
  legalName: string;
  email: string;
  province: Province | null;
  gstHstNumber: string | null;
}

export async function findIssuer(db: Conn, supplierId: number): Promise<Issuer | undefined> {
  const row = await db('users as u')
    .leftJoin('supplier_profiles as p', 'p.user_id', 'u.id')
    .where('u.id', supplierId)
    .first('u.email', 'p.legal_name', 'p.province', 'p.gst_hst_number');
  if (!row) return undefined;
  const province = (provinces as readonly string[]).includes(row.province ?? '')
    ? (row.province as Province)
    : null;
  return {
    legalName: (row.legal_name ?? '').trim(),
    email: row.email,
    province,
    gstHstNumber: row.gst_hst_number?.trim() || null,
  };
}
