import { csvDocument, csvDollars } from '../platform/csv.ts';
import { DateTime } from 'luxon';
import type { Db } from '../db/knex.ts';

/** One card payment as the card's monthly statement shows it, with its FAA references. */
export interface StatementLine {
  payment_id: number;
  paid_on: string;
  amount_cents: number;
  card_last4: string;
  card_authorization_code: string;
  merchant: string;
  invoice_number: string;
  reservation_number: string;
  certification_id: number;
  certified_at: Date;
  statement_matched_at: Date | null;
  matched_by_name: string | null;
}

/** The calendar month `YYYY-MM` as its first day and the first day of the next. */
function monthBounds(month: string): { from: string; to: string } {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  return { from: start.toISODate()!, to: start.plus({ months: 1 }).toISODate()! };
}

export const shiftMonth = (month: string, by: number) =>
  DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months: by }).toFormat('yyyy-MM');

/** The section 34 record a payment relied on, as a reference a person can quote. */
export const certificationReference = (id: number) => `S34-${String(id).padStart(6, '0')}`;

/** Card payments made (paid or confirmed) on the card in the month, by date. */
export function statementLines(db: Db, cardId: number, month: string): Promise<StatementLine[]> {
  const { from, to } = monthBounds(month);
  return db('payments as m')
    .join('invoices as i', 'i.id', 'm.invoice_id')
    .join('invoice_certifications as c', 'c.invoice_id', 'i.id')
    .leftJoin('users as u', 'u.id', 'm.statement_matched_by')
    .where('m.card_id', cardId)
    .whereIn('m.status', ['paid', 'confirmed'])
    .where('m.paid_on', '>=', from)
    .where('m.paid_on', '<', to)
    .orderBy('m.paid_on')
    .orderBy('m.id')
    .select(
      'm.id as payment_id',
      'm.paid_on',
      'm.amount_cents',
      'm.card_last4',
      'm.card_authorization_code',
      'i.supplier_legal_name as merchant',
      'i.invoice_number',
      'i.reservation_number',
      'c.id as certification_id',
      'c.certified_at',
      'm.statement_matched_at',
      'u.display_name as matched_by_name',
    );
}

/** Marks (or unmarks) a line as matched to the card's statement, by whom and when. */
export async function markMatched(
  db: Db,
  line: { cardId: number; paymentId: number; matched: boolean; by: number; now: Date },
): Promise<boolean> {
  const updated = await db('payments')
    .where({ id: line.paymentId, card_id: line.cardId })
    .whereIn('status', ['paid', 'confirmed'])
    .update(
      line.matched
        ? { statement_matched_at: line.now, statement_matched_by: line.by }
        : { statement_matched_at: null, statement_matched_by: null },
    );
  return updated === 1;
}

export const statementColumns = [
  'date',
  'amount',
  'currency',
  'card_last4',
  'authorization_code',
  'merchant',
  'invoice_number',
  'section32_reservation',
  'section34_certification',
  'matched_to_statement',
] as const;

/** The month's lines as CSV, one header row, CRLF line ends, amounts in dollars with a dot. */
export function statementCsv(lines: readonly StatementLine[]): string {
  const rows = lines.map((l) => [
    l.paid_on,
    csvDollars(Number(l.amount_cents)),
    'CAD',
    l.card_last4,
    l.card_authorization_code,
    l.merchant,
    l.invoice_number,
    l.reservation_number,
    certificationReference(Number(l.certification_id)),
    l.statement_matched_at ? l.statement_matched_at.toISOString() : '',
  ]);
  return csvDocument(statementColumns, rows);
}
