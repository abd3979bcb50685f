import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  defaultClosingInstant,
  federalHolidays,
  isBusinessDay,
} from '../../src/platform/business-days.ts';

/** Weekday of a calendar date, computed independently of the module under test. */
function weekday(isoDate: string): string {
  return new Intl.DateTimeFormat('en-CA', { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

describe('federal public service holidays', () => {
  it('lists the 2026 observed holidays', () => {
    expect(federalHolidays(2026)).toEqual([
      '2026-01-01', // New Year's Day (Thu)
      '2026-04-03', // Good Friday
      '2026-04-06', // Easter Monday
      '2026-05-18', // Victoria Day
      '2026-07-01', // Canada Day (Wed)
      '2026-08-03', // Civic Holiday
      '2026-09-07', // Labour Day
      '2026-09-30', // Truth and Reconciliation (Wed)
      '2026-10-12', // Thanksgiving
      '2026-11-11', // Remembrance Day (Wed)
      '2026-12-25', // Christmas (Fri)
      '2026-12-28', // Boxing Day, Saturday → Monday
    ]);
  });

  it('lists the 2027 observed holidays, Christmas and Boxing Day on a weekend moved to Mon/Tue', () => {
    expect(federalHolidays(2027)).toEqual([
      '2027-01-01', // New Year's Day (Fri)
      '2027-03-26', // Good Friday
      '2027-03-29', // Easter Monday
      '2027-05-24', // Victoria Day (May 24 is itself a Monday)
      '2027-07-01', // Canada Day (Thu)
      '2027-08-02', // Civic Holiday
      '2027-09-06', // Labour Day
      '2027-09-30', // Truth and Reconciliation (Thu)
      '2027-10-11', // Thanksgiving
      '2027-11-11', // Remembrance Day (Thu)
      '2027-12-27', // Christmas, Saturday → Monday
      '2027-12-28', // Boxing Day, Sunday → Tuesday
    ]);
  });

  it('moves Boxing Day to Tuesday when Christmas is on a Sunday (2022)', () => {
    expect(federalHolidays(2022)).toEqual(
      expect.arrayContaining(['2022-01-03', '2022-12-26', '2022-12-27']),
    );
  });

  it('only ever observes holidays on weekdays, Easter Monday and the Monday holidays on Mondays', () => {
    for (const year of [2026, 2027]) {
      const holidays = federalHolidays(year);
      expect(holidays).toHaveLength(12);
      for (const day of holidays) expect(['Sat', 'Sun']).not.toContain(weekday(day));
    }
    for (const day of ['2026-04-06', '2026-05-18', '2026-08-03', '2026-09-07', '2026-10-12'])
      expect(weekday(day)).toBe('Mon');
    expect(weekday('2026-04-03')).toBe('Fri');
    expect(weekday('2027-12-25')).toBe('Sat');
    expect(weekday('2027-12-27')).toBe('Mon');
    expect(weekday('2027-12-28')).toBe('Tue');
  });
});

describe('business days', () => {
  it('excludes weekends and holidays', () => {
    expect(isBusinessDay('2026-03-13')).toBe(true); // Friday
    expect(isBusinessDay('2026-03-14')).toBe(false); // Saturday
    expect(isBusinessDay('2026-03-15')).toBe(false); // Sunday
    expect(isBusinessDay('2026-07-01')).toBe(false); // Canada Day
    expect(isBusinessDay('2026-12-28')).toBe(false); // Boxing Day observed
    expect(isBusinessDay('2026-12-26')).toBe(false); // Boxing Day itself, a Saturday
  });

  it('skips a weekend', () => {
    expect(addBusinessDays('2026-03-13', 1)).toBe('2026-03-16');
    expect(addBusinessDays('2026-03-14', 1)).toBe('2026-03-16');
    expect(addBusinessDays('2026-03-16', -1)).toBe('2026-03-13');
    expect(addBusinessDays('2026-03-14', 0)).toBe('2026-03-14');
  });

  it('skips a holiday Monday', () => {
    // Fri before Victoria Day → Tuesday.
    expect(addBusinessDays('2026-05-15', 1)).toBe('2026-05-19');
  });

  it('counts 10 business days across Christmas and New Year 2026', () => {
    // Dec 21–24 (4), Dec 25 and 28 off, Dec 29–31 (7), Jan 1 off, Jan 4–6 (10).
    expect(addBusinessDays('2026-12-18', 10)).toBe('2027-01-06');
  });

  it('rejects impossible dates', () => {
    expect(() => isBusinessDay('2026-02-30')).toThrow(RangeError);
    expect(() => addBusinessDays('2026-3-1', 1)).toThrow(RangeError);
  });
});

describe('defaultClosingInstant', () => {
  it('closes at 14:00 EDT (18:00Z) when the 10th business day falls after DST starts', () => {
    // Published Friday 2026-02-27; Mar 2–6 and Mar 9–13 → Friday 2026-03-13, DST since Mar 8.
    const published = new Date('2026-02-27T15:30:00Z');
    expect(defaultClosingInstant(published).toISOString()).toBe('2026-03-13T18:00:00.000Z');
  });

  it('closes at 14:00 EST (19:00Z) in winter', () => {
    // Published Monday 2026-01-05; Jan 6–9, Jan 12–16, Jan 19 → Monday 2026-01-19.
    const published = new Date('2026-01-05T14:00:00Z');
    expect(defaultClosingInstant(published).toISOString()).toBe('2026-01-19T19:00:00.000Z');
  });

  it('counts from the Eastern calendar date, not the UTC one', () => {
    // 2026-02-28T03:00Z is still Friday Feb 27, 22:00 EST.
    const published = new Date('2026-02-28T03:00:00Z');
    expect(defaultClosingInstant(published).toISOString()).toBe('2026-03-13T18:00:00.000Z');
  });
});
