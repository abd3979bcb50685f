import { DateTime } from 'luxon';
import type { Lang } from './i18n.ts';

/** Deadlines are entered, computed and shown in Eastern time, whatever the server's zone. */
export const EASTERN = 'America/Toronto';

const longDate: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: EASTERN }),
  fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: EASTERN }),
};
const longDateTime: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-CA', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: EASTERN,
  }),
  fr: new Intl.DateTimeFormat('fr-CA', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: EASTERN,
  }),
};
const calendarDate: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' }),
  fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' }),
};

const FIRST_OF_MONTH =
  /(^|\s)1 (?=(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre))/;

/**
 * Translation Bureau style: « 1er juillet », « 9 h 05 » not « 09 h 05 », « 14 h » not
 * « 14 h 00 », with no-break spaces around the « h » so a time never splits across lines.
 */
function frenchTypography(text: string): string {
  return text
    .replace(FIRST_OF_MONTH, '$11er ')
    .replace(/\b0(\d) h\b/, '$1 h')
    .replace(/(\d{1,2}) h 00\b/, '$1 h')
    .replace(/(\d{1,2}) h(?: (\d{2}))?\b/, (_time, hours: string, minutes?: string) =>
      minutes ? `${hours}\u00a0h\u00a0${minutes}` : `${hours}\u00a0h`,
    );
}

function finish(text: string, lang: Lang): string {
  return lang === 'fr' ? frenchTypography(text) : text;
}

/** `November 22, 2026` / `22 novembre 2026`, the day as it is in Eastern time. */
export function formatDate(at: Date, lang: Lang): string {
  return finish(longDate[lang].format(at), lang);
}

/** A calendar date stored as `YYYY-MM-DD` (no time, no zone), e.g. a delivery due date. */
export function formatCalendarDate(isoDate: string, lang: Lang): string {
  return finish(calendarDate[lang].format(new Date(`${isoDate}T00:00:00Z`)), lang);
}

/** `December 4, 2026 at 2:00 p.m. (Eastern time)` / `4 décembre 2026 à 14 h (heure de l’Est)`. */
export function formatDeadline(at: Date, lang: Lang): string {
  const zone = lang === 'fr' ? 'heure de l’Est' : 'Eastern time';
  return `${finish(longDateTime[lang].format(at), lang)} (${zone})`;
}

/** The calendar date of an instant in Eastern time, `YYYY-MM-DD`. */
export function easternDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: EASTERN }).toISODate() ?? '';
}

/** An Eastern wall-clock time on a calendar date, as an instant (handles EST/EDT). */
export function easternInstant(isoDate: string, hour: number, minute = 0): Date {
  return DateTime.fromISO(isoDate, { zone: EASTERN }).set({ hour, minute }).toJSDate();
}

export type ClosingIn =
  { kind: 'closed' } | { kind: 'today' } | { kind: 'tomorrow' } | { kind: 'days'; days: number };

/** How far a deadline is, in Eastern calendar days: what a supplier reads as "closes in 3 days". */
export function closingIn(closesAt: Date, now: Date): ClosingIn {
  if (closesAt.getTime() <= now.getTime()) return { kind: 'closed' };
  const days = DateTime.fromJSDate(closesAt, { zone: EASTERN })
    .startOf('day')
    .diff(DateTime.fromJSDate(now, { zone: EASTERN }).startOf('day'), 'days').days;
  const whole = Math.round(days);
  if (whole <= 0) return { kind: 'today' };
  if (whole === 1) return { kind: 'tomorrow' };
  return { kind: 'days', days: whole };
}

/**
 * A `yyyy-mm-dd` a person typed that is a real day of a year this marketplace can mean
 * (2000–2099): PostgreSQL and the business-day calendar refuse year 0 or year 9999.
 */
export function isCalendarDate(value: string): boolean {
  if (!/^20\d\d-\d{2}-\d{2}$/.test(value)) return false;
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}
