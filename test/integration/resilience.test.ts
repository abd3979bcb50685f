import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.ts';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { listenForContentChanges } from '../../src/platform/content-changes.ts';
import { answerClientErrors } from '../../src/platform/raw-errors.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { aPublishedOpportunity } from '../helpers/scenarios.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const department = await insertDepartment(database.db);
  const { reference } = await aPublishedOpportunity(await createTestApp(database.db), {
    department,
    opensAt: '2026-11-16T19:00:00Z',
    closesAt: '2026-12-04T19:00:00Z',
  });
  // The pages below name it: the year's first request.
  expect(reference).toBe('MA-2026-0001');
});

afterAll(async () => {
  await database.drop();
});

describe('page cache', () => {
  it('serves a public page from memory and answers a revalidation with 304', async () => {
    const t = await createTestApp(database.db, { cacheSeconds: 60 });
    const first = await request(t.app).get('/en/opportunities').expect(200);
    expect(t.deps.pageCache.size).toBe(1);
    await request(t.app)
      .get('/en/opportunities')
      .set('If-None-Match', String(first.headers.etag))
      .expect(304);
    // The query string never creates another entry.
    await request(t.app).get('/en/opportunities?utm=1').expect(200);
    expect(t.deps.pageCache.size).toBe(1);
  });

  it('is emptied in every process when public content changes in the database', async () => {
    const t = await createTestApp(database.db, { cacheSeconds: 60 });
    let notified!: () => void;
    const changed = new Promise<void>((resolve) => (notified = resolve));
    const listener = await listenForContentChanges(
      database.url,
      () => {
        t.deps.pageCache.clear();
        notified();
      },
      t.deps.logger,
    );
    const before = await request(t.app).get('/en/opportunities/MA-2026-0001').expect(200);
    expect(before.text).toContain('Fix the form validator');
    // Another process (here: a separate connection) edits the opportunity.
    const other = createDb(database.url, 1);
    await other('opportunities')
      .where({ reference: 'MA-2026-0001' })
      .update({ title_en: 'Renamed task' });
    await other.destroy();
    await changed;
    const after = await request(t.app).get('/en/opportunities/MA-2026-0001').expect(200);
    expect(after.text).toContain('Renamed task');
    await listener.close();
  });

  it('expires entries so relative deadlines stay true as time passes', async () => {
    const t = await createTestApp(database.db, { cacheSeconds: 60 });
    await request(t.app).get('/en/opportunities').expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 61_000));
    expect(t.deps.pageCache.get('/en/opportunities')).toBeUndefined();
  });
});

describe('failures', () => {
  it('shows the bilingual 500 page with the request id, never a stack trace', async () => {
    const broken = createDb('postgres://nobody:wrong@127.0.0.1:1/none', 1);
    const t = await createTestApp(broken);
    const res = await request(t.app).get('/fr/occasions').set('X-Request-Id', 'test-request-0001');
    expect(res.status).toBe(500);
    expect(res.text).toContain('test-request-0001');
    expect(res.text).toContain('Un problème est survenu de notre côté');
    expect(res.text).toContain('Something went wrong on our side');
    expect(res.text).not.toMatch(/at \w+ \(|ECONNREFUSED|node_modules/);
    await request(t.app).get('/readyz').expect(503);
    await request(t.app).get('/healthz').expect(200);
    await broken.destroy();
  });

  it('answers a request line too large for Node with a bilingual 431 page', async () => {
    const t = await createTestApp(database.db);
    const server = http.createServer({ maxHeaderSize: 16_384 }, t.app);
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/en/opportunities?q=${'x'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    const body = await res.text();
    expect(body).toContain('We could not read this request');
    expect(body).toContain('Nous n’avons pas pu lire cette requête');
    server.close();
  });

  it('never loads the demo data in production', async () => {
    const t = await createTestApp(database.db);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(seedDemoOnce(t.deps, 'never used')).rejects.toThrow();
    } finally {
      process.env.NODE_ENV = previous;
    }
    expect(await database.db('opportunities').count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});
