import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { isCalendarDate } from './dates.ts';
import { taxCents, type Province } from './money.ts';

type Conn = Db | Knex.Transaction;

/** The GST or HST a federal department pays a supplier of this province on a given day. */
export interface SalesTax {
  province: Province;
  kind: 'GST' | 'HST';
  basisPoints: number;
  preTaxCents: number;
  taxCents: number;
  totalCents: number;
}

/**
 * THE tax of an amount: the rate in force in the supplier's province on `date` (a calendar date,
 * YYYY-MM-DD, e.g. the invoice's), from the dated rates table, applied by taxCents(). Throws when
 * no rate covers the day: every province has one since 2016, so that is a wrong date or province.
 */
export async function salesTaxOn(
  db: Conn,
  preTaxCents: number,
  province: Province,
  date: string,
): Promise<SalesTax> {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const rate = await db('sales_tax_rates')
    .where({ province })
    .andWhere('effective_from', '<=', date)
    .andWhere((q) => q.whereNull('effective_to').orWhere('effective_to', '>=', date))
    .first<{ kind: 'GST' | 'HST'; rate_basis_points: number } | undefined>(
      'kind',
      'rate_basis_points',
    );
  if (!rate) throw new RangeError(`No sales-tax rate for ${province} on ${date}`);
  const tax = taxCents(preTaxCents, rate.rate_basis_points);
  return {
    province,
    kind: rate.kind,
    basisPoints: rate.rate_basis_points,
    preTaxCents,
    taxCents: tax,
    totalCents: preTaxCents + tax,
  };
}
