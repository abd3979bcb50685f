import { easternDate, easternInstant } from './dates.ts';

/**
 * Canadian federal public service holidays and business-day arithmetic.
 * Calendar dates are plain `YYYY-MM-DD` strings, handled as UTC midnights so no
 * server zone or DST change can shift a day.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Business days a solicitation stays open by default. */
const DEFAULT_OPEN_BUSINESS_DAYS = 10;
/** Default closing time, Eastern wall clock. */
const DEFAULT_CLOSING_HOUR = 14;

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseIso(isoDate: string): Date {
  const match = ISO_DATE.exec(isoDate);
  const date = match ? utc(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
  // Rejects both malformed strings and impossible dates such as 2026-02-30 (which Date would roll over).
  if (!date || toIso(date) !== isoDate) throw new RangeError(`Not a calendar date: ${isoDate}`);
  return date;
}

function plusDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}

/** Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(year, month, day);
}

/** The nth Monday (1-based) of a month. */
function nthMonday(year: number, month: number, n: number): Date {
  const first = utc(year, month, 1);
  const toMonday = (8 - first.getUTCDay()) % 7;
  return plusDays(first, toMonday + 7 * (n - 1));
}

/** Victoria Day: the last Monday strictly before May 25. */
function victoriaDay(year: number): Date {
  const may24 = utc(year, 5, 24);
  return plusDays(may24, -((may24.getUTCDay() + 6) % 7));
}

/** Fixed-date holidays in calendar order, so a Christmas pushed to Monday pushes Boxing Day on. */
const FIXED_HOLIDAYS: readonly (readonly [month: number, day: number])[] = [
  [1, 1], // New Year's Day
  [7, 1], // Canada Day
  [9, 30], // National Day for Truth and Reconciliation
  [11, 11], // Remembrance Day
  [12, 25], // Christmas Day
  [12, 26], // Boxing Day
];

const holidayCache = new Map<number, ReadonlySet<string>>();

function holidaySet(year: number): ReadonlySet<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;

  const easter = easterSunday(year);
  const days = new Set<string>(
    [
      plusDays(easter, -2), // Good Friday
      plusDays(easter, 1), // Easter Monday
      victoriaDay(year),
      nthMonday(year, 8, 1), // Civic Holiday
      nthMonday(year, 9, 1), // Labour Day
      nthMonday(year, 10, 2), // Thanksgiving
    ].map(toIso),
  );
  // A fixed holiday on a weekend is observed on the next weekday not already a holiday:
  // Christmas on Saturday → Monday 27, Boxing Day (Sunday) → Tuesday 28.
  for (const [month, day] of FIXED_HOLIDAYS) {
    let observed = utc(year, month, day);
    while (isWeekend(observed) || days.has(toIso(observed))) observed = plusDays(observed, 1);
    days.add(toIso(observed));
  }

  holidayCache.set(year, days);
  return days;
}

/** Observed federal public service holidays of a year, `YYYY-MM-DD`, sorted. */
export function federalHolidays(year: number): string[] {
  if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
  return [...holidaySet(year)].sort();
}

/** A weekday that is not an observed federal holiday. */
export function isBusinessDay(isoDate: string): boolean {
  const date = parseIso(isoDate);
  return !isWeekend(date) && !holidaySet(date.getUTCFullYear()).has(isoDate);
}

/**
 * The date `n` business days after `isoDate` (before it if `n` is negative). The start date
 * itself never counts, so it need not be a business day; `n = 0` returns it unchanged.
 */
export function addBusinessDays(isoDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  let date = parseIso(isoDate);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0;) {
    date = plusDays(date, step);
    if (isBusinessDay(toIso(date))) left -= 1;
  }
  return toIso(date);
}

/**
 * Default closing: 14:00 Eastern on the 10th business day after the day of publication,
 * that day taken in Eastern time (an evening publication in Ottawa is already "tomorrow" in UTC).
 */
export function defaultClosingInstant(publishedAt: Date): Date {
  const closingDate = addBusinessDays(easternDate(publishedAt), DEFAULT_OPEN_BUSINESS_DAYS);
  return easternInstant(closingDate, DEFAULT_CLOSING_HOUR);
}
