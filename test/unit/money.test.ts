import { describe, expect, it } from 'vitest';
import {
  CAP_CENTS,
  formatMoney,
  highestPreTaxPriceCents,
  maxTotalCents,
  HIGHEST_TAX_BASIS_POINTS,
  taxCents,
  withinCap,
} from '../../src/platform/money.ts';

describe('money in cents', () => {
  it('computes tax rounded half up to the cent', () => {
    expect(taxCents(650_000, 1300)).toBe(84_500);
    expect(taxCents(1, 1500)).toBe(0); // 0.15 cent
    expect(taxCents(10, 1500)).toBe(2); // 1.5 cents rounds up
    expect(taxCents(3, 1500)).toBe(0); // 0.45 cent
    expect(taxCents(869_565, 1500)).toBe(130_435); // 130,434.75 cents
  });

  it('uses the highest provincial rate (15% HST) for the tax-inclusive maximum', () => {
    // The rates themselves are dated, in the database: sales-tax-rates.test.ts checks none is higher.
    expect(HIGHEST_TAX_BASIS_POINTS).toBe(1500);
    expect(maxTotalCents(650_000)).toBe(747_500);
  });

  it('allows exactly the cap and refuses one cent over', () => {
    const highest = highestPreTaxPriceCents();
    expect(highest).toBe(869_565);
    expect(maxTotalCents(highest)).toBe(CAP_CENTS);
    expect(withinCap(highest)).toBe(true);
    expect(withinCap(highest + 1)).toBe(false);
    expect(maxTotalCents(highest + 1)).toBe(CAP_CENTS + 1);
  });

  it('refuses fractions of a cent and negative amounts', () => {
    expect(() => taxCents(10.5, 500)).toThrow(RangeError);
    expect(() => formatMoney(-1, 'en')).toThrow(RangeError);
  });

  it('formats in Canadian English and French', () => {
    expect(formatMoney(1_000_000, 'en')).toBe('$10,000.00');
    expect(formatMoney(1_000_000, 'fr')).toBe('10\u00a0000,00\u00a0$');
    expect(formatMoney(650_000, 'fr')).toBe('6\u00a0500,00\u00a0$');
    expect(formatMoney(5, 'en')).toBe('$0.05');
  });
});
