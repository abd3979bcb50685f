import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { easternDate } from '../platform/dates.ts';
import type { Province } from '../platform/money.ts';
import { paymentDueOn } from './payment-clock.ts';
import {
  acceptedAtOf,
  findIssuer,
  heldReservationNumber,
  type InvoicedContract,
  type Issuer,
} from './repo.ts';
import { invoiceTax, type InvoiceTax } from './tax.ts';

/** What the invoice says, before or after it is issued: the pages and the PDF show this. */
export interface InvoiceContent {
  reference: string;
  title: { en: string; fr: string };
  department: { en: string; fr: string };
  invoiceNumber: string;
  invoiceDate: string;
  reservationNumber: string;
  preTaxCents: number;
  tax: InvoiceTax;
  supplier: { legalName: string; email: string; province: Province; gstHstNumber: string | null };
}

/** The supplier's own number unless they set one: the opportunity's reference and "-1". */
export const defaultInvoiceNumber = (reference: string) => `${reference}-1`;

/** The profile fields an invoice needs and the supplier has not filled in. */
function missingProfileFields(issuer: Issuer | undefined): ('legalName' | 'province')[] {
  return [
    ...(issuer?.legalName ? [] : (['legalName'] as const)),
    ...(issuer?.province ? [] : (['province'] as const)),
  ];
}

export type Prefill =
  | { ok: true; content: InvoiceContent; acceptedAt: Date; acceptedOn: string }
  | { ok: false; missing: ('legalName' | 'province' | 'reservation' | 'acceptance')[] };

/**
 * The invoice pre-filled from the contract, its opportunity, the funds held and the supplier's
 * profile, with the number and date the supplier chose: the fixed pre-tax price, the tax of
 * their province and registration on that date, the total.
 */
export async function prefillInvoice(
  db: Db | Knex.Transaction,
  contract: InvoicedContract,
  choice: { invoiceNumber: string; invoiceDate: string },
): Promise<Prefill> {
  const issuer = await findIssuer(db, contract.supplier_id);
  const reservationNumber = await heldReservationNumber(db, contract.opportunity_id);
  const acceptedAt = await acceptedAtOf(db, contract.id);
  const missing = [
    ...missingProfileFields(issuer),
    ...(reservationNumber ? [] : (['reservation'] as const)),
    ...(acceptedAt ? [] : (['acceptance'] as const)),
  ];
  if (missing.length || !issuer?.province || !reservationNumber || !acceptedAt) {
    return { ok: false, missing };
  }
  const preTaxCents = contract.price_cents;
  const supplier = { ...issuer, province: issuer.province };
  return {
    ok: true,
    acceptedAt,
    acceptedOn: easternDate(acceptedAt),
    content: {
      reference: contract.reference,
      title: { en: contract.title_en, fr: contract.title_fr },
      department: { en: contract.department_en, fr: contract.department_fr },
      invoiceNumber: choice.invoiceNumber,
      invoiceDate: choice.invoiceDate,
      reservationNumber,
      preTaxCents,
      tax: await invoiceTax(db, preTaxCents, supplier, choice.invoiceDate),
      supplier,
    },
  };
}

/** The invoice's columns as stored, received now: the prompt-payment clock starts. */
export function invoiceColumns(content: InvoiceContent, acceptedAt: Date, receivedAt: Date) {
  return {
    invoice_number: content.invoiceNumber,
    invoice_date: content.invoiceDate,
    received_at: receivedAt,
    payment_due_on: paymentDueOn(acceptedAt, receivedAt),
    reservation_number: content.reservationNumber,
    pre_tax_cents: content.preTaxCents,
    province: content.supplier.province,
    gst_hst_number: content.supplier.gstHstNumber,
    tax_kind: content.tax.kind,
    tax_basis_points: content.tax.basisPoints,
    tax_cents: content.tax.taxCents,
    amount_cents: content.tax.totalCents,
    supplier_legal_name: content.supplier.legalName,
    supplier_email: content.supplier.email,
  };
}
