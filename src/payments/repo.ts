import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';

type Conn = Db | Knex.Transaction;

const livePaymentStatuses = ['pending', 'sent', 'paid', 'confirmed'];

/** An invoice as finance reads it before paying: its file, its certification, its payment. */
export interface PayableInvoice {
  id: number;
  status: string;
  version: number;
  department_id: number;
  contract_id: number;
  invoice_number: string;
  received_at: Date;
  payment_due_on: string;
  amount_cents: number;
  supplier_legal_name: string;
  reservation_number: string;
  reference: string;
  title_en: string;
  title_fr: string;
  certified_by: number | null;
  certified_at: Date | null;
  certifier_name: string | null;
  payment_methods: string[];
  card_exemption_reference: string | null;
}

export function findPayableInvoice(
  db: Conn,
  invoiceId: number,
): Promise<PayableInvoice | undefined> {
  return db('invoices as i')
    .join('opportunities as o', 'o.id', 'i.opportunity_id')
    .join('departments as d', 'd.id', 'i.department_id')
    .leftJoin('invoice_certifications as c', 'c.invoice_id', 'i.id')
    .leftJoin('users as u', 'u.id', 'c.certified_by')
    .where('i.id', invoiceId)
    .first(
      'i.id',
      'i.status',
      'i.version',
      'i.department_id',
      'i.contract_id',
      'i.invoice_number',
      'i.received_at',
      'i.payment_due_on',
      'i.amount_cents',
      'i.supplier_legal_name',
      'i.reservation_number',
      'o.reference',
      'o.title_en',
      'o.title_fr',
      'c.certified_by',
      'c.certified_at',
      'u.display_name as certifier_name',
      'd.payment_methods',
      'd.card_exemption_reference',
    );
}

export interface PaymentRecord {
  id: number;
  status: string;
  version: number;
  method: string;
  amount_cents: number;
  paid_on: string | null;
  card_last4: string | null;
  card_authorization_code: string | null;
  requested_by: number;
  updated_at: Date;
}

/** The invoice's payment: the live one, else the latest (a failed or cancelled payout). */
export function paymentOfInvoice(db: Conn, invoiceId: number): Promise<PaymentRecord | undefined> {
  return db('payments')
    .where({ invoice_id: invoiceId })
    .orderByRaw(
      `status IN (${livePaymentStatuses.map(() => '?').join(', ')}) DESC, id DESC`,
      livePaymentStatuses,
    )
    .first();
}

export interface AcquisitionCard {
  id: number;
  department_id: number;
  cardholder_id: number;
  cardholder_name: string;
  last4: string;
  per_transaction_limit_cents: number;
  active: boolean;
}

export function cardsOfDepartment(db: Conn, departmentId: number): Promise<AcquisitionCard[]> {
  return db('acquisition_cards as k')
    .join('users as u', 'u.id', 'k.cardholder_id')
    .where('k.department_id', departmentId)
    .orderBy('k.id')
    .select('k.*', 'u.display_name as cardholder_name');
}

export function findCard(db: Conn, cardId: number): Promise<AcquisitionCard | undefined> {
  return db('acquisition_cards as k')
    .join('users as u', 'u.id', 'k.cardholder_id')
    .where('k.id', cardId)
    .first('k.*', 'u.display_name as cardholder_name');
}

/** The department's staff who may hold a card: its finance officers. */
export function possibleCardholders(db: Conn, departmentId: number) {
  return db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where({ 'g.role': 'finance_officer', 'g.department_id': departmentId })
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .distinct('u.id', 'u.display_name')
    .orderBy('u.display_name') as Promise<{ id: number; display_name: string }[]>;
}

export async function addCard(
  db: Conn,
  card: {
    departmentId: number;
    cardholderId: number;
    last4: string;
    limitCents: number;
    now: Date;
  },
): Promise<'added' | 'exists'> {
  const inserted = await db('acquisition_cards')
    .insert({
      department_id: card.departmentId,
      cardholder_id: card.cardholderId,
      last4: card.last4,
      per_transaction_limit_cents: card.limitCents,
      created_at: card.now,
    })
    .onConflict(['department_id', 'cardholder_id', 'last4'])
    .ignore()
    .returning('id');
  return inserted.length > 0 ? 'added' : 'exists';
}

/** A line of finance's queue: an invoice and where its payment stands. */
export interface QueueLine {
  invoice_id: number;
  invoice_number: string;
  reference: string;
  supplier_legal_name: string;
  amount_cents: number;
  received_at: Date;
  certified_at: Date | null;
  payment_due_on: string;
  payment_status: string | null;
  method: string | null;
  paid_on: string | null;
}

/**
 * Finance's queue in the departments given: certified invoices with no live payment, payments
 * sent (PayPal) and payments made awaiting the supplier's confirmation.
 */
export function paymentsQueue(db: Conn, departmentIds: readonly number[]): Promise<QueueLine[]> {
  return db('invoices as i')
    .join('opportunities as o', 'o.id', 'i.opportunity_id')
    .leftJoin('invoice_certifications as c', 'c.invoice_id', 'i.id')
    .leftJoin('payments as m', (j) =>
      j.on('m.invoice_id', 'i.id').onIn('m.status', livePaymentStatuses),
    )
    .whereIn('i.department_id', departmentIds)
    .where((q) =>
      q
        .where((w) => w.where('i.status', 'certified').whereNull('m.id'))
        .orWhereIn('m.status', ['pending', 'sent', 'paid']),
    )
    .orderBy('i.payment_due_on')
    .orderBy('i.id')
    .select(
      'i.id as invoice_id',
      'i.invoice_number',
      'o.reference',
      'i.supplier_legal_name',
      'i.amount_cents',
      'i.received_at',
      'c.certified_at',
      'i.payment_due_on',
      'm.status as payment_status',
      'm.method',
      'm.paid_on',
    );
}
