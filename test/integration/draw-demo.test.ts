import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { publicStatuses } from '../../src/opportunities/states.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  await seedDemoOnce(t.deps, 'demo passphrase 2026');
});

afterAll(async () => {
  await database.drop();
});

describe('the demo and the draw', () => {
  it('commits every published demo opportunity to a draw secret, as publishing does', async () => {
    const rows = await database
      .db('opportunities as o')
      .leftJoin('draw_commitments as c', 'c.opportunity_id', 'o.id')
      .whereIn('o.status', publicStatuses)
      .whereNotNull('o.opens_at')
      .select('o.reference', 'c.commitment');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.commitment, row.reference).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fixes the fingerprint list of every demo opportunity closed by the closing job', async () => {
    const closed = await database
      .db('opportunities as o')
      .leftJoin('draw_fingerprint_lists as l', 'l.opportunity_id', 'o.id')
      .whereIn('o.status', ['closed', 'evaluated', 'drawn', 'awarded'])
      .select('o.reference', 'l.list_hash');
    for (const row of closed) expect(row.list_hash, row.reference).toMatch(/^[0-9a-f]{64}$/);
  });
});
