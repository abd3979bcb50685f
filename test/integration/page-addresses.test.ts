import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { aPublishedOpportunity } from '../helpers/scenarios.ts';

/**
 * Review finding L7: routing ignored case and trailing slashes, and the page cache was keyed on
 * the address as typed, so a script could fill it with spellings of one page until it emptied.
 */
let database: TestDatabase;
let t: TestApp;
let reference: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const department = await insertDepartment(database.db);
  t = await createTestApp(database.db, { cacheSeconds: 60 });
  ({ reference } = await aPublishedOpportunity(t, { department }));
  t.deps.pageCache.clear();
});

afterAll(async () => {
  await database.drop();
});

describe('one address per page (L7)', () => {
  it('answers other spellings of a page with a 404 or a redirect, without a cache entry of their own', async () => {
    await request(t.app).get('/en/opportunities').expect(200);
    await request(t.app).get(`/fr/occasions/${reference}`).expect(200);
    expect(t.deps.pageCache.size).toBe(2);
    for (const spelling of [
      '/EN/opportunities',
      '/en/Opportunities',
      '/en/OPPORTUNITIES',
      `/fr/OCCASIONS/${reference}`,
      `/FR/occasions/${reference}`,
    ]) {
      const res = await request(t.app).get(spelling);
      expect(res.status, spelling).toBe(404);
    }
    // Percent-encoding a reference's letters names the same page, and the same entry.
    const encoded = `/fr/occasions/${reference.replace('M', '%4D')}`;
    const same = await request(t.app).get(encoded).expect(200);
    expect(same.headers.etag).toBeDefined();
    expect(t.deps.pageCache.size).toBe(2);
    expect(t.deps.pageCache.get(`/fr/occasions/${reference}`)).toBeDefined();
  });

  it('sends an address with trailing slashes to the page, keeping the query string', async () => {
    const home = await request(t.app).get('/en/').expect(301);
    expect(home.headers.location).toBe('/en');
    const list = await request(t.app).get('/en/opportunities//?utm=1').expect(301);
    expect(list.headers.location).toBe('/en/opportunities?utm=1');
    const page = await request(t.app).get(`/en/opportunities/${reference}/`).expect(301);
    expect(page.headers.location).toBe(`/en/opportunities/${reference}`);
    // Never to another site: `//host` is a protocol-relative address.
    expect((await request(t.app).get('//evil.example/').redirects(0)).status).toBe(404);
    expect((await request(t.app).get('/en//evil.example/')).status).toBe(404);
    // A form's address is not redirected (a POST would lose its body): it has no CSRF token here.
    const post = await request(t.app).post('/en/sign-in/');
    expect(post.status).toBe(403);
    expect(post.headers.location).toBeUndefined();
    expect(t.deps.pageCache.size).toBe(2);
  });
});
