import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Province } from '../platform/money.ts';
import { salesTaxOn } from '../platform/sales-tax.ts';

/** The tax lines of an invoice as it is stored (invoices.tax_kind … amount_cents). */
export interface InvoiceTax {
  kind: 'GST' | 'HST' | null;
  basisPoints: number;
  taxCents: number;
  totalCents: number;
}

/**
 * What the supplier charges the department: the GST or HST of their province on the invoice
 * date when they are registered (a GST/HST number in their profile), else nothing — a small
 * supplier need not register, and then charges no tax. Federal departments pay GST/HST only.
 */
export async function invoiceTax(
  db: Db | Knex.Transaction,
  preTaxCents: number,
  supplier: { province: Province; gstHstNumber: string | null },
  invoiceDate: string,
): Promise<InvoiceTax> {
  if (!supplier.gstHstNumber?.trim()) {
    return { kind: null, basisPoints: 0, taxCents: 0, totalCents: preTaxCents };
  }
  const tax = await salesTaxOn(db, preTaxCents, supplier.province, invoiceDate);
  return {
    kind: tax.kind,
    basisPoints: tax.basisPoints,
    taxCents: tax.taxCents,
    totalCents: tax.totalCents,
  };
}
