import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitmentOf, rankingHmac } from '../../src/draw/formulas.ts';
import { drawOrder, fingerprintApplication } from '../../src/draw/service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDraftApplication,
  aSubmittedApplication,
  anOpenOpportunity,
  closeAtDeadline,
} from './draw-world.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const context = () => ({ config: t.deps.config, now: t.clock.now() });

describe('the draw (issue 11, item 6)', () => {
  it('commits at publishing to a secret the database holds only encrypted', async () => {
    const s = await anOpenOpportunity(t);
    const row = await database.db('draw_commitments').where({ opportunity_id: s.id }).first();
    expect(row.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret).toBeNull();
    expect(row.secret_ciphertext).toHaveLength(32);
    // Nothing in the row hashes to the commitment: the plaintext is not there.
    for (const value of [row.secret_ciphertext, row.secret_iv, row.secret_tag]) {
      expect(commitmentOf(value)).not.toBe(row.commitment);
    }
  });

  it('ranks the passing applications by HMAC of their fingerprint and reveals the secret', async () => {
    const s = await anOpenOpportunity(t);
    const ids: number[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await aSubmittedApplication(t, s));
    await closeAtDeadline(t, s);
    const passing = ids.slice(0, 3);
    const order = await database.db.transaction((trx) => drawOrder(trx, s.id, passing, context()));
    expect(order.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(order.map((r) => r.applicationId).sort()).toEqual([...passing].sort());
    const revealed = await database.db('draw_commitments').where({ opportunity_id: s.id }).first();
    const secret = Buffer.from(revealed.secret, 'hex');
    expect(commitmentOf(secret)).toBe(revealed.commitment);
    for (const r of order) expect(rankingHmac(secret, r.fingerprint)).toBe(r.hmac);
    expect([...order.map((r) => r.hmac)].sort()).toEqual(order.map((r) => r.hmac));
    // Drawn once: asking again gives the same order, another set of passers is refused.
    const again = await database.db.transaction((trx) => drawOrder(trx, s.id, passing, context()));
    expect(again).toEqual(order);
    await expect(
      database.db.transaction((trx) => drawOrder(trx, s.id, ids, context())),
    ).rejects.toThrow(/drawn already/);
  });

  it('refuses a fingerprint after the list is fixed, and any change to the kept rows', async () => {
    const s = await anOpenOpportunity(t);
    const submitted = await aSubmittedApplication(t, s);
    const draft = await aDraftApplication(t, s);
    await closeAtDeadline(t, s);
    const list = await database
      .db('draw_fingerprint_lists')
      .where({ opportunity_id: s.id })
      .first();
    expect(list.fingerprints).toHaveLength(1);
    // The database itself refuses what the code must never do.
    await expect(
      database.db.transaction((trx) => fingerprintApplication(trx, draft, t.clock.now())),
    ).rejects.toThrow(/fixed/);
    await expect(
      database.db('draw_fingerprints').where({ application_id: submitted }).del(),
    ).rejects.toThrow(/kept/);
    await expect(
      database
        .db('draw_fingerprint_lists')
        .where({ opportunity_id: s.id })
        .update({ fingerprints: [] }),
    ).rejects.toThrow(/kept/);
    await expect(
      database
        .db('draw_commitments')
        .where({ opportunity_id: s.id })
        .update({ commitment: 'a'.repeat(64) }),
    ).rejects.toThrow(/kept/);
    await expect(
      database
        .db('draw_commitments')
        .where({ opportunity_id: s.id })
        .update({ secret: 'a'.repeat(64), revealed_at: t.clock.now() }),
    ).rejects.toThrow(/draw_commitments_kept/);
  });

  it('keeps the fingerprint an application first had when it is submitted again', async () => {
    const s = await anOpenOpportunity(t);
    const id = await aSubmittedApplication(t, s);
    const first = await database.db.transaction((trx) =>
      fingerprintApplication(trx, id, t.clock.now()),
    );
    const second = await database.db.transaction((trx) =>
      fingerprintApplication(trx, id, t.clock.now()),
    );
    expect(second).toEqual(first);
  });
});
