import { describe, expect, it } from 'vitest';
import { paymentDueOn } from '../../src/invoices/payment-clock.ts';

/** An instant from its Toronto wall-clock time (EST, UTC−5, in winter; EDT, UTC−4, in summer). */
const toronto = (local: string, offset = '-05:00') => new Date(`${local}${offset}`);

describe('the prompt-payment clock (issue 12, item 4)', () => {
  it('runs 30 days from the receipt when the work was accepted before it', () => {
    expect(paymentDueOn(toronto('2026-11-20T10:00'), toronto('2026-11-23T09:00'))).toBe(
      '2026-12-23',
    );
  });

  it('runs 30 days from the acceptance when the invoice was received before it', () => {
    expect(paymentDueOn(toronto('2026-11-25T16:00'), toronto('2026-11-23T09:00'))).toBe(
      '2026-12-25',
    );
  });

  it('counts calendar days across month ends, February and leap years', () => {
    const sameDay = (local: string) => paymentDueOn(toronto(local), toronto(local));
    expect(sameDay('2027-01-31T12:00')).toBe('2027-03-02');
    expect(sameDay('2028-01-31T12:00')).toBe('2028-03-01');
    expect(sameDay('2026-12-31T12:00')).toBe('2027-01-30');
    expect(sameDay('2027-02-28T12:00')).toBe('2027-03-30');
    expect(sameDay('2026-11-30T12:00')).toBe('2026-12-30');
  });

  it('takes the day in Toronto, not in UTC: late evening is still that day', () => {
    // 23:30 in Toronto on January 31 is already February 1 in UTC.
    const lateEvening = toronto('2027-01-31T23:30');
    expect(lateEvening.toISOString().slice(0, 10)).toBe('2027-02-01');
    expect(paymentDueOn(lateEvening, lateEvening)).toBe('2027-03-02');
    // Summer time: 22:00 EDT on May 31 is June 1 in UTC.
    const summer = toronto('2027-05-31T22:00', '-04:00');
    expect(paymentDueOn(summer, summer)).toBe('2027-06-30');
  });
});
