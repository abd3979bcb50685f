import { defaultClosingInstant } from '../../src/platform/business-days.ts';
import { easternDate } from '../../src/platform/dates.ts';

/** When each step of a scenario happens, on the test clock. */

export type When = Date | string;

/** What the timeline reads of a scenario's options. */
interface Timed {
  at?: Partial<Record<string, When>>;
  opensAt?: When;
  closesAt?: When;
  deliveryDueOn?: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
export const asDate = (when: When | undefined) => (when === undefined ? undefined : new Date(when));

/** Each stage's time: explicit, or the publication window's, or a minute before the next. */
export function timeline(stages: readonly string[], o: Timed, now: Date) {
  const times = new Map<string, Date>();
  for (const s of stages) {
    const at = asDate(o.at?.[s]);
    if (at) times.set(s, at);
  }
  let window: { opensAt: Date; closesAt: Date } | undefined;
  if (stages.includes('publish')) {
    let closesAt = asDate(o.closesAt);
    if (!closesAt && stages.includes('close')) closesAt = new Date(now.getTime() - 60 * MINUTE_MS);
    const opensAt = asDate(o.opensAt);
    const earliest = opensAt ?? (closesAt ? new Date(closesAt.getTime() - 14 * DAY_MS) : now);
    const publishAt = times.get('publish') ?? new Date(Math.min(now.getTime(), earliest.getTime()));
    times.set('publish', publishAt);
    window = { opensAt: opensAt ?? publishAt, closesAt: closesAt ?? new Date(0) };
    if (!closesAt) window.closesAt = defaultClosingInstant(window.opensAt);
    if (stages.includes('close') && !times.has('close')) times.set('close', window.closesAt);
  }
  let next: Date | undefined;
  for (const s of [...stages].reverse()) {
    const at = times.get(s) ?? (next ? new Date(next.getTime() - MINUTE_MS) : now);
    times.set(s, at);
    next = at;
  }
  stages.reduce((previous, s) => {
    const at = times.get(s)!;
    if (at < previous) throw new Error(`scenario step ${s} at ${at.toISOString()} comes too early`);
    return at;
  }, new Date(0));
  return { times, window };
}

/** The work is due well after the closing: the usual January 29, 2027, or 8 weeks after. */
export function deliveryDueOn(o: Timed, now: Date): string {
  if (o.deliveryDueOn) return o.deliveryDueOn;
  const closing = asDate(o.closesAt) ?? defaultClosingInstant(asDate(o.opensAt) ?? now);
  const usual = '2027-01-29';
  return easternDate(closing) < '2027-01-15'
    ? usual
    : easternDate(new Date(closing.getTime() + 56 * DAY_MS));
}
