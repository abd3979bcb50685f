import { describe, expect, it } from 'vitest';
import {
  containsCardNumber,
  fieldsWithCardNumbers,
  passesLuhn,
  typedWithout,
} from '../../src/platform/card-numbers.ts';

describe('card numbers in free text (issue 12, item 6)', () => {
  it.each([
    ['a Visa test number', '4111111111111111'],
    ['a Visa number with spaces', 'Paid with 4111 1111 1111 1111 today'],
    ['a Mastercard number with dashes', '5555-5555-5555-4444'],
    ['an Amex number (15 digits) in its groups', 'amex 3782 822463 10005.'],
    ['a 13-digit Visa number', '4222222222222'],
    ['a 19-digit number', '6011111111111111110'],
    ['a number followed by its code', 'card 4111 1111 1111 1111 123'],
    ['no-break spaces between groups', '4111\u00a01111\u00a01111\u00a01111'],
  ])('finds %s', (_name, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['12 digits passing Luhn', '4111 1111 1117'],
    ['20 digits passing Luhn', '41111111111111111115'],
    ['16 digits failing Luhn', '4111 1111 1111 1112'],
    ['a phone number', 'Call 1-613-555-0123 ext. 4567'],
    ['an invoice number', 'Invoice MA-2026-0042-1 of 2026-11-23'],
    ['an amount', '$10,000.00 paid on 2026-11-23'],
    ['digits with two separators in between', '4111  1111  1111  1111'],
  ])('lets %s through', (_name, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('checks Luhn as card issuers do', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });

  it('names the fields holding one, arrays included, never the CSRF token', () => {
    const body = {
      _csrf: '4111111111111111',
      note: 'hello',
      reason: 'my card is 4111-1111-1111-1111',
      links: ['https://example.org', '5555 5555 5555 4444'],
    };
    expect(fieldsWithCardNumbers(body)).toEqual(['reason', 'links']);
    expect(typedWithout({ ...body, password: 'x' }, ['reason'])).toEqual({ note: 'hello' });
  });

  it('scans a long input in linear time', () => {
    const text = '0 '.repeat(100_000);
    const started = performance.now();
    expect(containsCardNumber(text)).toBe(true);
    expect(containsCardNumber('1-'.repeat(100_000) + 'x')).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
