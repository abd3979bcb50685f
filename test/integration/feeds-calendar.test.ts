import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDraftRequest,
  anAddendum,
  aPublishedOpportunity,
  type Scenario,
} from '../helpers/scenarios.ts';

/** Issue 13, item 4: each opportunity's closing date as an iCalendar file ("add to my calendar"). */

let database: TestDatabase;
let t: TestApp;
let open: Scenario;
let draft: Scenario;

/** The file's content lines, unfolded (RFC 5545 §3.1: a line break then a space continues). */
function linesOf(ics: string): string[] {
  return ics.replaceAll('\r\n ', '').split('\r\n').filter(Boolean);
}

async function calendar(s: Scenario, lang: 'en' | 'fr') {
  const res = await request(t.app).get(url('opportunityCalendar', { ref: s.reference }, lang));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
  expect(res.headers['set-cookie']).toBeUndefined();
  return { res, lines: linesOf(res.text) };
}

/** The one event's lines (the VTIMEZONE has DTSTART lines of its own). */
const eventOf = (lines: string[]) =>
  lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  // Closes December 4, 2026 at 2 p.m. Eastern standard time (19:00 UTC).
  open = await aPublishedOpportunity(t, { closesAt: '2026-12-04T19:00:00Z' });
  draft = await aDraftRequest(t);
});

afterAll(async () => {
  await database.drop();
});

describe('the closing date calendar file', () => {
  it('holds one event at the closing time in Toronto time, with a stable UID and its title in the language', async () => {
    const en = await calendar(open, 'en');
    const fr = await calendar(open, 'fr');
    for (const { lines } of [en, fr]) {
      expect(lines[0]).toBe('BEGIN:VCALENDAR');
      expect(lines).toContain('TZID:America/Toronto');
      const event = eventOf(lines);
      expect(event).toContain('DTSTART;TZID=America/Toronto:20261204T140000');
      expect(event).toContain(`UID:closing-${open.reference}@localhost`);
      expect(event).toContain('SEQUENCE:0');
    }
    expect(eventOf(en.lines)).toContain(
      `SUMMARY:Closing date: Fix the form validator (${open.reference})`,
    );
    expect(eventOf(fr.lines)).toContain(
      `SUMMARY:Date de clôture\u00a0: Corriger le validateur de formulaires (${open.reference})`,
    );
    expect(eventOf(fr.lines).join('\n')).toContain(
      url('opportunity', { ref: open.reference }, 'fr'),
    );
    expect(en.res.headers['content-disposition']).toContain(`${open.reference}-closing.ics`);
    // The same file each time, so calendars see no change where there is none.
    expect((await calendar(open, 'en')).res.text).toBe(en.res.text);
  });

  it('moves with an extension, under the same UID and a higher SEQUENCE', async () => {
    await anAddendum(t, open, {
      summary: { en: 'One more week.', fr: 'Une semaine de plus.' },
      newClosesAt: new Date('2026-12-11T19:00:00Z'),
    });
    const event = eventOf((await calendar(open, 'en')).lines);
    expect(event).toContain('DTSTART;TZID=America/Toronto:20261211T140000');
    expect(event).toContain(`UID:closing-${open.reference}@localhost`);
    expect(event).toContain('SEQUENCE:1');
  });

  it('is linked from the opportunity page ("add to my calendar")', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const html = (await request(t.app).get(url('opportunity', { ref: open.reference }, lang)))
        .text;
      expect(html).toContain(`href="${url('opportunityCalendar', { ref: open.reference }, lang)}"`);
    }
  });

  it('does not exist for what is not public, nor for a malformed reference', async () => {
    for (const ref of [draft.reference, 'MA-2026-9999', 'nonsense']) {
      const res = await request(t.app).get(url('opportunityCalendar', { ref }, 'en'));
      expect(res.status, ref).toBe(404);
    }
  });
});
