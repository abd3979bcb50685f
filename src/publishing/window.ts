import { DateTime } from 'luxon';
import { defaultClosingInstant } from '../platform/business-days.ts';
import { EASTERN, easternDate, easternInstant } from '../platform/dates.ts';
import type { PublishForm } from './schemas.ts';

/** The opening may be a little in the past: the form was filled in a few minutes ago. */
const OPENING_GRACE_MS = 15 * 60 * 1000;

/** A refused field: its name and the locale key of the message. */
interface WindowProblem {
  field: keyof PublishForm;
  key: string;
  values?: Record<string, string>;
}

export type PublicationWindow =
  { ok: true; opensAt: Date; closesAt: Date } | { ok: false; problems: WindowProblem[] };

const easternTime = (at: Date): string =>
  DateTime.fromJSDate(at, { zone: EASTERN }).toFormat('HH:mm');

function instant(isoDate: string, time: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  return easternInstant(isoDate, hour ?? 0, minute ?? 0);
}

/** What the form shows first: opening now, closing by default, in Eastern time. */
export function defaultWindow(now: Date): Record<string, string> {
  const closing = defaultClosingInstant(now);
  return {
    openingDate: easternDate(now),
    openingTime: easternTime(now),
    closingDate: easternDate(closing),
    closingTime: easternTime(closing),
  };
}

/**
 * The opening and closing instants from the form, checked against now and the delivery due date
 * (work cannot be due before suppliers have even applied). An empty closing date and time take
 * the default: 14:00 Eastern, 10 business days after the opening day.
 */
export function publicationWindow(
  form: PublishForm,
  now: Date,
  deliveryDueOn: string | null,
): PublicationWindow {
  const opensAt = instant(form.openingDate, form.openingTime);
  const defaultClosing = form.closingDate === '' && form.closingTime === '';
  const problems: WindowProblem[] = [];
  if (!defaultClosing && form.closingDate === '') {
    problems.push({ field: 'closingDate', key: 'publishing.errors.closingDate' });
  }
  if (!defaultClosing && form.closingTime === '') {
    problems.push({ field: 'closingTime', key: 'publishing.errors.closingTime' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const closesAt = defaultClosing
    ? defaultClosingInstant(opensAt)
    : instant(form.closingDate, form.closingTime);

  if (opensAt.getTime() < now.getTime() - OPENING_GRACE_MS) {
    problems.push({ field: 'openingDate', key: 'publishing.errors.openingPast' });
  }
  if (closesAt.getTime() <= opensAt.getTime()) {
    problems.push({ field: 'closingDate', key: 'publishing.errors.closingBeforeOpening' });
  } else if (closesAt.getTime() <= now.getTime()) {
    problems.push({ field: 'closingDate', key: 'publishing.errors.closingPast' });
  } else if (deliveryDueOn !== null && deliveryDueOn <= easternDate(closesAt)) {
    problems.push({
      field: 'closingDate',
      key: 'publishing.errors.dueBeforeClosing',
      values: { due: deliveryDueOn },
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, opensAt, closesAt };
}
