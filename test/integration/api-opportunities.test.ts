import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openApiChecker } from '../helpers/openapi.ts';
import {
  aCancelledOpportunity,
  aDraftRequest,
  aPublishedOpportunity,
  aReadyRequest,
  anAddendum,
  type Scenario,
} from '../helpers/scenarios.ts';

/**
 * Issue 13, item 4: the read-only JSON API. Every answer is checked against the API's own
 * OpenAPI description, which is itself checked first.
 */

const SITE = 'http://localhost:3000';
const DAY = 24 * 60 * 60 * 1000;

let database: TestDatabase;
let t: TestApp;
let expectMatches: Awaited<ReturnType<typeof openApiChecker>>;
const published: Scenario[] = [];
const hidden: Scenario[] = [];

interface Item {
  reference: string;
  status: string;
  title: { en: string; fr: string };
  updated_at: string;
  links: { self: string; page: { en: string; fr: string }; calendar: { en: string; fr: string } };
}
interface List {
  data: Item[];
  links: { self: string; next: string | null };
}

/** A GET of the API, its answer checked against the description. */
async function get(path: string, schema: string, headers: Record<string, string> = {}) {
  const res = await request(t.app).get(path).set(headers);
  if (res.status !== 304) {
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expectMatches(schema, res.body);
  }
  expect(res.headers['set-cookie']).toBeUndefined();
  return res;
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const now = t.clock.now().getTime();
  // Two open at the same instant: the id breaks the tie, and the walk must not lose either.
  const sameTime = new Date(now - 2 * DAY);
  for (const opensAt of [now - 5 * DAY, sameTime, sameTime, now - DAY, now - 3 * DAY]) {
    published.push(await aPublishedOpportunity(t, { opensAt: new Date(opensAt) }));
  }
  published.push(await aCancelledOpportunity(t));
  hidden.push(await aDraftRequest(t), await aReadyRequest(t));
  hidden.push(await aPublishedOpportunity(t, { opensAt: new Date(now + DAY) }));
  const document = await request(t.app).get('/api/v1/openapi.json');
  expect(document.status).toBe(200);
  expectMatches = await openApiChecker(document.body as object);
});

afterAll(async () => {
  await database.drop();
});

describe('the JSON API', () => {
  it('describes itself in an OpenAPI 3.1 document that validates', async () => {
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(['/opportunities', '/opportunities/{reference}']);
  });

  it('walks every public opportunity exactly once, newest first, with the cursor', async () => {
    const seen: string[] = [];
    let next: string | null = '/api/v1/opportunities?limit=2';
    let pages = 0;
    while (next) {
      const res = await get(next.replace(SITE, ''), 'OpportunityList');
      expect(res.status).toBe(200);
      const body = res.body as List;
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((o) => o.reference));
      next = body.links.next;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(published.length);
    expect(new Set(seen)).toEqual(new Set(published.map((s) => s.reference)));
    const whole = (await get('/api/v1/opportunities?limit=100', 'OpportunityList')).body as List;
    expect(whole.data.map((o) => o.reference)).toEqual(seen);
    expect(whole.links.next).toBeNull();
    // Newest first: the cancelled one was published last (at the test clock's now).
    expect(seen[0]).toBe(published.at(-1)!.reference);
    expect(seen.at(-1)).toBe(published[0]!.reference);
  });

  it('gives both languages, the public status and links to both pages and the calendar', async () => {
    const list = (await get('/api/v1/opportunities', 'OpportunityList')).body as List;
    const cancelled = list.data.find((o) => o.reference === published.at(-1)!.reference)!;
    expect(cancelled.status).toBe('cancelled');
    const item = list.data.find((o) => o.reference === published[0]!.reference)!;
    expect(item.status).toBe('published');
    expect(item.title.en).toContain('Fix the form validator');
    expect(item.title.fr).toContain('Corriger le validateur');
    const ref = item.reference;
    expect(item.links.page).toEqual({
      en: SITE + url('opportunity', { ref }, 'en'),
      fr: SITE + url('opportunity', { ref }, 'fr'),
    });
    expect(item.links.calendar.fr).toBe(SITE + url('opportunityCalendar', { ref }, 'fr'));
    const detail = await get(item.links.self.replace(SITE, ''), 'OpportunityDetail');
    expect(detail.status).toBe(200);
    expect(detail.body.mandatory_criteria[0].fr).toBe(
      'Une demande de tirage fusionnée en TypeScript',
    );
  });

  it('shows nothing private: no draft, no request in review, nothing before its opening', async () => {
    const list = (await get('/api/v1/opportunities?limit=100', 'OpportunityList')).body as List;
    const listed = list.data.map((o) => o.reference);
    for (const s of hidden) {
      expect(listed).not.toContain(s.reference);
      const res = await get(`/api/v1/opportunities/${s.reference}`, 'Error');
      expect(res.status).toBe(404);
    }
  });

  it('answers what anyone may type with a JSON error, never a 500', async () => {
    const bad: [string, number, string][] = [
      ['/api/v1/opportunities?limit=0', 400, 'bad_limit'],
      ['/api/v1/opportunities?limit=101', 400, 'bad_limit'],
      ['/api/v1/opportunities?limit=99999999999999999999', 400, 'bad_limit'],
      ['/api/v1/opportunities?limit=1&limit=2', 400, 'bad_limit'],
      ['/api/v1/opportunities?limit=abc', 400, 'bad_limit'],
      ['/api/v1/opportunities?cursor=nonsense', 400, 'bad_cursor'],
      ['/api/v1/opportunities?cursor=' + 'A'.repeat(500), 400, 'bad_cursor'],
      [
        `/api/v1/opportunities?cursor=${Buffer.from('2026-02-30T10:00:00.000000Z|1').toString('base64url')}`,
        400,
        'bad_cursor',
      ],
      [
        `/api/v1/opportunities?cursor=${Buffer.from('2026-01-30T10:00:00.000000Z|99999999999999999999').toString('base64url')}`,
        400,
        'bad_cursor',
      ],
      ['/api/v1/opportunities/MA-2026-9999', 404, 'not_found'],
      ['/api/v1/opportunities/nonsense', 404, 'not_found'],
      ['/api/v1/opportunities/%E0%A4%A', 400, 'bad_request'],
      ['/api/v1/nothing-here', 404, 'not_found'],
    ];
    for (const [path, status, code] of bad) {
      const res = await get(path, 'Error');
      expect(res.status, path).toBe(status);
      expect(res.body.error.code, path).toBe(code);
      expect(res.body.error.message.fr).not.toBe('');
    }
  });

  it('sends a strong ETag and Last-Modified, and answers 304 to either', async () => {
    for (const path of [
      '/api/v1/opportunities?limit=3',
      `/api/v1/opportunities/${published[0]!.reference}`,
    ]) {
      const first = await get(
        path,
        path.includes('limit') ? 'OpportunityList' : 'OpportunityDetail',
      );
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
      expect((await get(path, '', { 'If-None-Match': etag })).status).toBe(304);
      expect((await get(path, '', { 'If-Modified-Since': lastModified })).status).toBe(304);
      const stale = '"not-this-one"';
      expect(
        (
          await get(path, 'Opportunity' + (path.includes('limit') ? 'List' : 'Detail'), {
            'If-None-Match': stale,
          })
        ).status,
      ).toBe(200);
      const before = new Date(new Date(lastModified).getTime() - 1000).toUTCString();
      expect(
        (
          await get(path, path.includes('limit') ? 'OpportunityList' : 'OpportunityDetail', {
            'If-Modified-Since': before,
          })
        ).status,
      ).toBe(200);
    }
  });

  it('changes its ETag and Last-Modified when the opportunity changes (an addendum)', async () => {
    const s = published[1]!;
    const path = `/api/v1/opportunities/${s.reference}`;
    const before = await get(path, 'OpportunityDetail');
    await anAddendum(t, s, {
      at: new Date(t.clock.now().getTime() + 60_000),
      summary: { en: 'The title changed.', fr: 'Le titre a changé.' },
      texts: { title_en: 'A new title', title_fr: 'Un nouveau titre' },
    });
    const after = await get(path, 'OpportunityDetail', {
      'If-None-Match': before.headers.etag as string,
    });
    expect(after.status).toBe(200);
    expect(after.body.title).toEqual({ en: 'A new title', fr: 'Un nouveau titre' });
    expect(new Date(after.headers['last-modified'] as string).getTime()).toBeGreaterThan(
      new Date(before.headers['last-modified'] as string).getTime(),
    );
  });

  it('lets any site read it (CORS), for GET, HEAD and OPTIONS only, without cookies', async () => {
    const res = await get('/api/v1/opportunities', 'OpportunityList', {
      Origin: 'https://example.org',
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toContain('ETag');
    const preflight = await request(t.app)
      .options('/api/v1/opportunities')
      .set('Origin', 'https://example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'if-none-match');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toContain('If-None-Match');
    const head = await request(t.app).head('/api/v1/opportunities');
    expect(head.status).toBe(200);
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const refused = await request(t.app)[method]('/api/v1/opportunities');
      expect(refused.status, method).toBe(405);
      expect(refused.headers.allow).toBe('GET, HEAD, OPTIONS');
      expectMatches('Error', refused.body);
    }
  });
});
