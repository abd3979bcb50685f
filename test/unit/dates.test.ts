import { describe, expect, it } from 'vitest';
import {
  closingIn,
  easternDate,
  easternInstant,
  formatCalendarDate,
  formatDate,
  formatDeadline,
} from '../../src/platform/dates.ts';

describe('Eastern-time deadlines', () => {
  it('puts 14:00 Eastern at 19:00Z in winter and 18:00Z in summer (DST starts 2026-03-08)', () => {
    expect(easternInstant('2026-03-07', 14).toISOString()).toBe('2026-03-07T19:00:00.000Z');
    expect(easternInstant('2026-03-08', 14).toISOString()).toBe('2026-03-08T18:00:00.000Z');
    expect(easternInstant('2026-11-01', 14).toISOString()).toBe('2026-11-01T19:00:00.000Z');
    expect(easternInstant('2026-10-31', 14).toISOString()).toBe('2026-10-31T18:00:00.000Z');
  });

  it('shows the deadline in Eastern time with the zone named, in both languages', () => {
    const at = easternInstant('2026-12-04', 14);
    expect(formatDeadline(at, 'en')).toBe('December 4, 2026 at 2:00 p.m. (Eastern time)');
    expect(formatDeadline(at, 'fr')).toBe('4 décembre 2026 à 14\u00a0h (heure de l’Est)');
    const summer = easternInstant('2026-07-12', 23, 59);
    expect(formatDeadline(summer, 'fr')).toBe(
      '12 juillet 2026 à 23\u00a0h\u00a059 (heure de l’Est)',
    );
  });

  it('writes the first of the month as « 1er » in French, and not in times', () => {
    expect(formatDate(easternInstant('2026-07-01', 9), 'fr')).toBe('1er juillet 2026');
    expect(formatDeadline(easternInstant('2026-07-01', 1, 5), 'fr')).toBe(
      '1er juillet 2026 à 1\u00a0h\u00a005 (heure de l’Est)',
    );
    expect(formatDate(easternInstant('2026-07-11', 9), 'fr')).toBe('11 juillet 2026');
  });

  it('uses the Eastern calendar day, not UTC’s', () => {
    // 02:00Z on Dec 5 is still Dec 4 in Toronto.
    expect(easternDate(new Date('2026-12-05T02:00:00Z'))).toBe('2026-12-04');
    expect(formatDate(new Date('2026-12-05T02:00:00Z'), 'en')).toBe('December 4, 2026');
  });

  it('formats calendar dates without shifting them', () => {
    expect(formatCalendarDate('2027-01-29', 'en')).toBe('January 29, 2027');
    expect(formatCalendarDate('2027-02-01', 'fr')).toBe('1er février 2027');
  });

  it('counts days left in Eastern calendar days', () => {
    const deadline = easternInstant('2026-12-04', 14);
    expect(closingIn(deadline, easternInstant('2026-12-04', 9))).toEqual({ kind: 'today' });
    expect(closingIn(deadline, easternInstant('2026-12-03', 23, 30))).toEqual({ kind: 'tomorrow' });
    expect(closingIn(deadline, easternInstant('2026-12-01', 8))).toEqual({ kind: 'days', days: 3 });
    expect(closingIn(deadline, deadline)).toEqual({ kind: 'closed' });
    // Across the DST change, days are still whole calendar days.
    expect(closingIn(easternInstant('2026-03-09', 14), easternInstant('2026-03-06', 14))).toEqual({
      kind: 'days',
      days: 3,
    });
  });
});
