import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import {
  aCancelledOpportunity,
  aClosedOpportunity,
  aDraftRequest,
  anAddendum,
  aPublishedOpportunity,
} from '../helpers/scenarios.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const esdc = await insertDepartment(db);
  const tbs = await insertDepartment(db, { en: 'TBS', fr: 'SCT' });
  t = await createTestApp(db);
  // TEST_NOW is 2026-11-23 10:00 Eastern.
  const open = await aPublishedOpportunity(t, {
    department: esdc,
    repositoryUrl: 'https://github.com/canada-ca/example-validator',
    opensAt: '2026-11-16T19:00:00Z',
    closesAt: '2026-12-01T19:00:00Z',
  });
  await anAddendum(t, open, {
    at: '2026-11-21T15:00:00Z',
    summary: { en: 'Deadline extended.', fr: 'Date de clôture reportée.' },
    newClosesAt: new Date('2026-12-04T19:00:00Z'),
  });
  const closingToday = await aPublishedOpportunity(t, {
    department: tbs,
    closesAt: '2026-11-23T19:00:00Z',
    titleEn: 'Closing today task',
    titleFr: 'Tâche qui ferme aujourd’hui',
  });
  const closed = await aClosedOpportunity(t, {
    department: esdc,
    opensAt: '2026-10-01T18:00:00Z',
    closesAt: '2026-10-15T18:00:00Z',
  });
  const draft = await aDraftRequest(t, { department: esdc, titleEn: 'Secret draft' });
  // Cancelled during screening: a state that follows publishing, but this one never opened.
  const cancelled = await aCancelledOpportunity(t, {
    department: esdc,
    from: 'screened',
    titleEn: 'Cancelled request',
  });
  // The pages below name them: the year's first five requests.
  expect([open, closingToday, closed, draft, cancelled].map((o) => o.reference)).toEqual(
    [1, 2, 3, 4, 5].map((n) => `MA-2026-000${n}`),
  );
});

afterAll(async () => {
  await database.drop();
});

describe('public opportunity pages', () => {
  it('lists open opportunities as cards first, soonest deadline first, and closed ones in a table', async () => {
    const res = await request(t.app).get('/en/opportunities').expect(200);
    const page = parse(res.text);
    const cards = page.querySelectorAll('.cards .card-title a').map((a) => a.text);
    expect(cards).toEqual(['Closing today task', 'Fix the form validator (MA-2026-0001)']);
    const pastRows = page.querySelectorAll('details.past tbody tr');
    expect(pastRows.map((row) => row.querySelector('a')?.getAttribute('href'))).toEqual([
      '/en/opportunities/MA-2026-0003',
    ]);
    expect(res.text).not.toContain('Secret draft');
    expect(page.querySelector('.cards')?.text).toContain('Closes today');
    expect(page.querySelector('.cards')?.text).toContain('Closes in 11 days');
    expect(page.querySelector('.cards')?.text).toContain('$6,500.00');
    expect(page.querySelectorAll('.cards .tag-updated')).toHaveLength(1);
  });

  it('shows the same list in French at its French address, with French formats', async () => {
    const res = await request(t.app).get('/fr/occasions').expect(200);
    const page = parse(res.text);
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('fr');
    expect(page.querySelector('.cards')?.text).toContain('6\u00a0500,00\u00a0$');
    expect(page.querySelector('.cards')?.text).toContain('Ferme aujourd’hui');
    expect(page.querySelector('.cards')?.text).toContain(
      '4 décembre 2026 à 14\u00a0h (heure de l’Est)',
    );
    const toggle = page.querySelector('.lang-toggle a');
    expect(toggle?.getAttribute('href')).toBe('/en/opportunities');
    expect(toggle?.getAttribute('lang')).toBe('en');
  });

  it('shows an opportunity in full, work acceptance criteria before the mandatory criteria', async () => {
    const res = await request(t.app).get('/en/opportunities/MA-2026-0001').expect(200);
    const html = res.text;
    const acceptance = html.indexOf('Work acceptance criteria');
    const evaluation = html.indexOf('Application evaluation');
    expect(acceptance).toBeGreaterThan(0);
    expect(evaluation).toBeGreaterThan(acceptance);
    expect(html.indexOf('All tests pass')).toBeLessThan(
      html.indexOf('A merged pull request in TypeScript'),
    );
    expect(html).toContain('$6,500.00 before tax');
    expect(html).toContain('$7,475.00 taxes included');
    expect(html).toContain('December 4, 2026 at 2:00 p.m. (Eastern time)');
    expect(html).toContain('Addendum 1, November 21, 2026: Deadline extended.');
    expect(html).toContain('https://github.com/canada-ca/example-validator');
    const page = parse(html);
    expect(page.querySelector('.lang-toggle a')?.getAttribute('href')).toBe(
      '/fr/occasions/MA-2026-0001',
    );
  });

  it('renders the description Markdown without letting script through', async () => {
    await t.deps.db('opportunities').where({ reference: 'MA-2026-0002' }).update({
      description_en:
        '### Plan\n\n<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> **bold**',
    });
    const res = await request(t.app).get('/en/opportunities/MA-2026-0002').expect(200);
    const description = parse(res.text).querySelector('.prose');
    expect(description?.innerHTML).toContain('<h3>Plan</h3>');
    expect(description?.innerHTML).toContain('<strong>bold</strong>');
    expect(description?.querySelectorAll('script, img')).toHaveLength(0);
    expect(description?.innerHTML).not.toContain('href="javascript');
  });

  it('hides drafts, requests cancelled before publishing and unknown references behind the bilingual 404 page', async () => {
    const list = await request(t.app).get('/en/opportunities').expect(200);
    expect(list.text).not.toContain('Cancelled request');
    for (const path of [
      '/en/opportunities/MA-2026-0004',
      '/en/opportunities/MA-2026-0005',
      '/en/opportunities/MA-2026-9999',
    ]) {
      const res = await request(t.app).get(path).expect(404);
      expect(res.text).toContain('We couldn’t find that web page');
      expect(res.text).toContain('Nous ne pouvons trouver cette page Web');
      expect(res.text).not.toContain('Secret draft');
      expect(res.text).not.toContain('Cancelled request');
    }
  });

  it('answers bad input with a 404 or 400 page, never a 500', async () => {
    const cases: [string, number][] = [
      ['/en/opportunities/not-a-reference', 404],
      ['/en/opportunities/%E0%A4%A', 400],
      ['/de/opportunities', 404],
      ['/fr/opportunities', 404],
      ['/en/opportunities?' + 'q=x&'.repeat(2_000), 200],
      ['/en/opportunities/MA-2026-0001%00', 404],
    ];
    for (const [path, status] of cases) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(status);
      expect(res.headers['content-type'], path).toContain('text/html');
    }
  });

  it('puts French first on the 404 page under /fr', async () => {
    const res = await request(t.app).get('/fr/nexiste-pas').expect(404);
    const page = parse(res.text);
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('fr');
    expect(page.querySelector('h1')?.text).toBe('Nous ne pouvons trouver cette page Web');
  });
});

describe('splash, health and readiness', () => {
  it('serves a bilingual splash page at /', async () => {
    const res = await request(t.app).get('/').expect(200);
    const page = parse(res.text);
    expect(page.querySelector('a[href="/en"]')?.text).toBe('English');
    expect(page.querySelector('a[href="/fr"]')?.text).toBe('Français');
  });

  it('reports health without the database and readiness with it', async () => {
    await request(t.app).get('/healthz').expect(200, { status: 'ok' });
    await request(t.app).get('/readyz').expect(200, { status: 'ready' });
  });

  it('sends a strict Content-Security-Policy and a request id', async () => {
    const res = await request(t.app).get('/en').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  it('serves the design system tokens and fonts from this server', async () => {
    await request(t.app).get('/assets/gcds/global.css').expect(200).expect('content-type', /css/);
    await request(t.app).get('/assets/fonts/lato/gcds-lato.woff2').expect(200);
    await request(t.app).get('/assets/css/site.css').expect(200);
  });
});
