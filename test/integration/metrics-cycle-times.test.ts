import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { factsOf } from '../helpers/pages.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import {
  aDeclinedRequest,
  aPublishedOpportunity,
  aSubmittedRequest,
} from '../helpers/scenarios.ts';

/**
 * A known history of requests, each step at a set time, and the figures the metrics pages give
 * of it: counts, shares, cycle times (median and 90th percentile, calendar and business days,
 * Thanksgiving skipped) and the fiscal year's boundary at Toronto midnight on April 1.
 */
const PASSWORD = 'metrics test passphrase';
let database: TestDatabase;
let t: TestApp;
let officer: SignedIn;

/** Each row of a table of the page: its header cell, then its cells. */
function rowsOf(html: string, table: string): Record<string, string[]> {
  const rows = parse(html).querySelectorAll(`table[data-table="${table}"] tbody tr`);
  return Object.fromEntries(
    rows.map((tr) => [
      tr.querySelector('th')!.textContent.trim(),
      tr.querySelectorAll('td').map((td) => td.textContent.trim()),
    ]),
  );
}

const times = (day: Record<string, string>) =>
  Object.fromEntries(Object.entries(day).map(([stage, at]) => [stage, `2026-${at}:00Z`]));

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const { db } = t.deps;
  const department = await insertDepartment(db);
  const person = (email: string) =>
    insertPerson(db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role: 'client', department }],
    });
  const [clientA, clientB, clientC] = [
    await person('a@esdc.example.ca'),
    await person('b@esdc.example.ca'),
    await person('c@esdc.example.ca'),
  ];
  await insertPerson(db, {
    email: 'officer@esdc.example.ca',
    password: PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'program_officer', department }],
  });
  // A: screening 2 days (2 business days), section 32 six days over Thanksgiving (Oct 12): 3.
  await aPublishedOpportunity(t, {
    department,
    requester: clientA,
    closesAt: '2026-12-01T19:00:00Z',
    at: times({
      start: '10-05T13:00',
      submit: '10-05T14:00',
      screen: '10-07T14:00',
      approveFunds: '10-13T14:00',
      requestTranslation: '10-13T15:00',
      translate: '10-14T14:00',
      approvePreview: '10-15T14:00',
      publish: '10-16T14:00',
    }),
  });
  // B: screening 4 days (4 business days), section 32 four days (1 business day).
  await aPublishedOpportunity(t, {
    department,
    requester: clientB,
    closesAt: '2026-12-01T19:00:00Z',
    at: times({
      start: '10-05T13:00',
      submit: '10-05T14:00',
      screen: '10-09T14:00',
      approveFunds: '10-13T14:00',
      requestTranslation: '10-13T15:00',
      translate: '10-14T14:00',
      approvePreview: '10-15T14:00',
      publish: '10-20T14:00',
    }),
  });
  await aDeclinedRequest(t, {
    department,
    requester: clientA,
    at: times({ start: '10-19T13:00', submit: '10-19T14:00', decline: '10-20T14:00' }),
  });
  // 23:30 on March 31 in Toronto (fiscal year 2025), then 00:30 on April 1 (fiscal year 2026).
  await aSubmittedRequest(t, {
    department,
    requester: clientB,
    at: times({ start: '04-01T03:00', submit: '04-01T03:30' }),
  });
  await aSubmittedRequest(t, {
    department,
    requester: clientC,
    at: times({ start: '04-01T04:00', submit: '04-01T04:30' }),
  });
  officer = await signIn(t.app, 'officer@esdc.example.ca', PASSWORD);
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe('the public metrics page', () => {
  it('counts requests, shares and publications exactly, in English and in French', async () => {
    const en = await request(t.app)
      .get(url('metrics', {}, 'en'))
      .expect(200);
    const figures = factsOf(en.text);
    expect(figures['Opportunity requests received']).toBe('5');
    expect(figures['Requests meeting the criteria (screened, out of screened and declined)']).toBe(
      '66.7% (2 of 3)',
    );
    expect(figures['Opportunities published']).toBe('2');
    expect(figures['Clients who sent more than one request']).toBe('66.7% (2 of 3)');
    expect(figures['Requests flagged as possible contract splitting']).toBe('0% (0 of 5)');
    expect(figures['Applications per opportunity']).toBe('0');
    expect(figures['Winners who accepted the terms and conditions']).toBe('None yet');
    const fr = await request(t.app)
      .get(url('metrics', {}, 'fr'))
      .expect(200);
    expect(factsOf(fr.text)['Clients ayant envoyé plus d’une demande']).toBe(
      '66,7\u00a0% (2 sur 3)',
    );
    expect(t.missingKeys).toEqual([]);
  });

  it('gives each step’s median and 90th percentile in calendar and business days', async () => {
    const res = await request(t.app)
      .get(url('metrics', {}, 'en'))
      .expect(200);
    const steps = rowsOf(res.text, 'steps');
    // count, median, p90, median business, p90 business
    // 2, 4 and 1 days (the declined request's too): median 2, 90th percentile 2 + 0.8 × 2.
    expect(steps['Screening by the program team']).toEqual(['3', '2', '3.6', '2', '3.6']);
    expect(steps['Section 32 approval']).toEqual(['2', '5', '5.8', '2', '2.8']);
    expect(steps['Open for applications']).toEqual([
      '0',
      'None yet',
      'None yet',
      'None yet',
      'None yet',
    ]);
    const journeys = rowsOf(res.text, 'journeys');
    expect(journeys['Request to published opportunity']).toEqual([
      '2',
      '13',
      '14.6',
      '9',
      '9.8',
      '—',
      '—',
      '57.75',
    ]);
    expect(journeys['Request to contract award']!.slice(5)).toEqual(['26', '23', '—']);
    expect(journeys['Invoice received to payment']!.slice(5)).toEqual(['31', '7', '—']);
  });

  it('draws the charts as accessible SVG: role img, a title and a description', async () => {
    const res = await request(t.app)
      .get(url('metrics', {}, 'fr'))
      .expect(200);
    const charts = parse(res.text).querySelectorAll('svg[role="img"]');
    expect(charts).toHaveLength(2);
    for (const svg of charts) {
      expect(svg.querySelector('title')?.textContent).toBeTruthy();
      expect(svg.querySelector('desc')?.textContent).toContain('tableau');
      const [titleId, descId] = svg.getAttribute('aria-labelledby')!.split(' ');
      expect(svg.querySelector(`#${titleId}`)).toBeTruthy();
      expect(svg.querySelector(`#${descId}`)).toBeTruthy();
    }
  });
});

describe('the staff metrics page', () => {
  it('splits the fiscal years at Toronto midnight on April 1', async () => {
    const y2025 = await officer.client
      .get(`${url('staffMetrics', {}, 'en')}?year=2025`)
      .expect(200);
    expect(factsOf(y2025.text)['Opportunity requests received']).toBe('1');
    expect(factsOf(y2025.text)['Clients who sent more than one request']).toBe('0% (0 of 1)');
    const y2026 = await officer.client
      .get(`${url('staffMetrics', {}, 'en')}?year=2026`)
      .expect(200);
    expect(factsOf(y2026.text)['Opportunity requests received']).toBe('4');
    expect(factsOf(y2026.text)['Clients who sent more than one request']).toBe('33.3% (1 of 3)');
    expect(rowsOf(y2025.text, 'steps')['Screening by the program team']![0]).toBe('0');
    expect(rowsOf(y2026.text, 'steps')['Screening by the program team']![0]).toBe('3');
  });

  it('answers a bad filter with its message, and is refused to a visitor', async () => {
    const res = await officer.client.get(
      `${url('staffMetrics', {}, 'fr')}?year=99999&department=x`,
    );
    expect(res.status).toBe(400);
    const summary = parse(res.text).querySelectorAll('.error-summary li a');
    expect(summary.map((a) => [a.getAttribute('href'), a.textContent.trim()])).toEqual([
      ['#department', 'Choisissez un des ministères de la liste.'],
      ['#year', 'Choisissez un des exercices de la liste.'],
    ]);
    expect(factsOf(res.text)['Demandes d’occasion reçues']).toBeUndefined();
    const visitor = await request(t.app).get(url('staffMetrics', {}, 'en'));
    expect([302, 303, 401, 403]).toContain(visitor.status);
  });

  it('downloads the cycle times as CSV for the chosen year', async () => {
    const res = await officer.client.get(`${url('cycleTimesCsv', {}, 'en')}?year=2026`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      '"Step","Times measured","Median (calendar days)","90th percentile (calendar days)","Median (business days)","90th percentile (business days)"',
    );
    expect(lines).toContain('"Screening by the program team","3","2.00","3.60","2.0","3.6"');
  });
});
