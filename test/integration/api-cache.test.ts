import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenForContentChanges } from '../../src/platform/content-changes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { anAddendum, aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/**
 * The API's list is kept in the page cache (it must answer at half /healthz's rate, issue 13):
 * a hit answers with the same ETag and Last-Modified as the answer it copies, and a change to an
 * opportunity empties the cache in every process, so nobody reads a stale list for long.
 */

let database: TestDatabase;
let t: TestApp;
let s: Scenario;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { cacheSeconds: 60 });
  s = await aPublishedOpportunity(t);
});

afterAll(async () => {
  await database.drop();
});

describe('the API list in the page cache', () => {
  it('answers a hit like the first answer, and a change empties it', async () => {
    const listener = await listenForContentChanges(
      database.url,
      () => t.deps.pageCache.clear(),
      t.deps.logger,
    );
    try {
      const path = '/api/v1/opportunities?limit=5';
      const first = await request(t.app).get(path).expect(200);
      expect(t.deps.pageCache.size).toBe(1);
      const hit = await request(t.app).get(path).expect(200);
      expect(hit.text).toBe(first.text);
      expect(hit.headers.etag).toBe(first.headers.etag);
      expect(hit.headers['last-modified']).toBe(first.headers['last-modified']);
      await request(t.app)
        .get(path)
        .set('If-Modified-Since', first.headers['last-modified'] as string)
        .expect(304);

      await anAddendum(t, s, {
        summary: { en: 'New title.', fr: 'Nouveau titre.' },
        texts: { title_en: 'A title after the addendum', title_fr: 'Un titre après l’addenda' },
      });
      await vi.waitFor(() => expect(t.deps.pageCache.size).toBe(0));
      const after = await request(t.app)
        .get(path)
        .set('If-None-Match', first.headers.etag as string)
        .expect(200);
      expect(after.body.data[0].title.en).toBe('A title after the addendum');
      expect(after.headers.etag).not.toBe(first.headers.etag);
    } finally {
      await listener.close();
    }
  });
});
