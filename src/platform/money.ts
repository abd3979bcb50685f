import type { Lang } from './i18n.ts';

/** All money is integer cents, CAD. One place for the cap and the tax arithmetic. */

export const CAP_CENTS = 1_000_000;

export const provinces = [
  'AB',
  'BC',
  'MB',
  'NB',
  'NL',
  'NS',
  'NT',
  'NU',
  'ON',
  'PE',
  'QC',
  'SK',
  'YT',
] as const;
export type Province = (typeof provinces)[number];

/**
 * The highest GST/HST rate in any province (15% HST), in basis points: the cap assumes it, so a
 * price fits whichever province the supplier is in. The database computes the same maximum
 * (opportunities.max_total_cents, generated) and refuses a rate above it (sales_tax_rates); the
 * rates themselves, with their dates, are in that table (see sales-tax.ts).
 */
export const HIGHEST_TAX_BASIS_POINTS = 1500;

/** Tax on a pre-tax amount, rounded half up to the cent, in integer arithmetic. */
export function taxCents(preTaxCents: number, basisPoints: number): number {
  assertCents(preTaxCents);
  return Math.floor((preTaxCents * basisPoints + 5_000) / 10_000);
}

/** The most the department can pay for a pre-tax price, whichever province the supplier is in. */
export function maxTotalCents(preTaxCents: number): number {
  return preTaxCents + taxCents(preTaxCents, HIGHEST_TAX_BASIS_POINTS);
}

export function withinCap(preTaxCents: number): boolean {
  return maxTotalCents(preTaxCents) <= CAP_CENTS;
}

/** The highest pre-tax price whose tax-inclusive maximum still fits under the cap. */
export function highestPreTaxPriceCents(): number {
  let price = Math.floor((CAP_CENTS * 10_000) / (10_000 + HIGHEST_TAX_BASIS_POINTS));
  while (withinCap(price + 1)) price += 1;
  while (!withinCap(price)) price -= 1;
  return price;
}

function assertCents(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Money must be a non-negative whole number of cents, got ${value}`);
  }
}

const GROUP_SPACE = '[ \\u00a0\\u202f]';
// "6500", "6,500", "6,500.00", "6500.5"; then "6 500", "6 500,00", "6500,5" (French style).
const ENGLISH_AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
const FRENCH_AMOUNT = new RegExp(`^(\\d{1,3}(?:${GROUP_SPACE}\\d{3})+|\\d+)(?:[,.](\\d{1,2}))?$`);

/**
 * The longest amount anyone types, spaces and dollar sign included ("$ 10 000,00 " is 13): the
 * forms refuse a longer one with the format message, and nothing reads it.
 */
export const MAX_TYPED_AMOUNT_LENGTH = 40;

/**
 * A dollar amount typed in English or French style, as integer cents; undefined when it is not
 * one. A comma followed by exactly three digits groups thousands ("6,500" is 6500 dollars); a
 * comma followed by one or two digits marks the cents ("6,50" is 6.50). A dollar sign is ignored.
 */
export function parseDollars(input: string): number | undefined {
  // Length first: a long run of spaces once made a stripping regex backtrack for seconds (M1).
  if (input.length > MAX_TYPED_AMOUNT_LENGTH) return undefined;
  let text = input.trim();
  if (text.startsWith('$')) text = text.slice(1).trimStart();
  if (text.endsWith('$')) text = text.slice(0, -1).trimEnd();
  if (text.length > 20) return undefined;
  const match = ENGLISH_AMOUNT.exec(text) ?? FRENCH_AMOUNT.exec(text);
  if (!match?.[1]) return undefined;
  const cents = Number(match[1].replace(/\D/g, '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

const currencyFormats: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-CA', { style: 'currency', currency: 'CAD' }),
  fr: new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'CAD' }),
};

/** `$6,500.00` / `6 500,00 $` (no-break spaces, as Intl writes them). */
export function formatMoney(cents: number, lang: Lang): string {
  assertCents(cents);
  return currencyFormats[lang].format(cents / 100);
}
