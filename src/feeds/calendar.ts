import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { lastChangeOf, siteLink } from '../api/present.ts';
import type { OpenOpportunity } from '../api/repo.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';

const ZONE = 'America/Toronto';

/**
 * America/Toronto's rules since 2007 (second Sunday of March, first Sunday of November), as
 * VTIMEZONE: a calendar reads the closing time as Eastern time, whatever its own zone.
 */
const TORONTO_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'TZNAME:EDT',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'TZNAME:EST',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

export interface ClosingInput {
  opportunity: OpenOpportunity & { closesAt: Date };
  /** How many times the deadline moved: the event's SEQUENCE, so calendars take the new one. */
  deadlineChanges: number;
  lang: Lang;
  t: Translate;
  publicUrl: string;
  now: Date;
}

/** The event's UID: one per opportunity in every language, and the same every time. */
function closingUid(reference: string, publicUrl: string): string {
  return `closing-${reference}@${new URL(publicUrl).hostname}`;
}

/** The opportunity's closing date as an iCalendar file, in Toronto time, a day's reminder. */
export function closingCalendar(input: ClosingInput): string {
  const { opportunity: o, lang, t, publicUrl, now } = input;
  const page = siteLink(publicUrl, url('opportunity', { ref: o.reference }, lang));
  const closes = DateTime.fromJSDate(o.closesAt, { zone: ZONE });
  const calendar = ical({
    prodId: {
      company: 'Government of Canada',
      product: 'micro-acquisitions',
      language: lang.toUpperCase(),
    },
    method: ICalCalendarMethod.PUBLISH,
    name: t('feeds.calendar.name', { reference: o.reference }),
  });
  calendar.timezone({
    name: ZONE,
    generator: (zone) => (zone === ZONE ? TORONTO_VTIMEZONE : null),
  });
  const event = calendar.createEvent({
    id: closingUid(o.reference, publicUrl),
    sequence: input.deadlineChanges,
    stamp: lastChangeOf(o, now),
    start: closes,
    end: closes,
    timezone: ZONE,
    summary: t('feeds.calendar.summary', { title: o.title[lang] }),
    description: `${o.summary[lang]}\n\n${page}`,
    url: page,
    status: o.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  event.createAlarm({
    type: ICalAlarmType.display,
    trigger: 24 * 60 * 60,
    description: t('feeds.calendar.reminder', { title: o.title[lang] }),
  });
  return calendar.toString();
}
