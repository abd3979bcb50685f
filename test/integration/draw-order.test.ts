import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitmentOf, rankingHmac } from '../../src/draw/formulas.ts';
import { drawOrder, fingerprintApplication, fixFingerprintList } from '../../src/draw/service.ts';
import { applicationMachine } from '../../src/applications/machine.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { currentUserOf } from '../helpers/scenarios.ts';
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

  it('makes a submission that comes while the closing runs wait for it, and refuses it', async () => {
    const s = await anOpenOpportunity(t);
    const draft = await aDraftApplication(t, s);
    // The closing holds the opportunity for update, as the closing job does.
    const closing = await database.db.transaction();
    await closing('opportunities').where({ id: s.id }).forUpdate().first('id');
    let settled = false;
    const late = database.db
      .transaction((trx) => fingerprintApplication(trx, draft, t.clock.now()))
      .finally(() => (settled = true));
    late.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    await fixFingerprintList(closing, s.id, t.clock.now());
    await closing.commit();
    await expect(late).rejects.toThrow(/fixed/);
  });

  it('keeps the fingerprint an application first had when it is reopened and submitted again', async () => {
    const s = await anOpenOpportunity(t);
    const id = await aSubmittedApplication(t, s);
    const first = await database.db('draw_fingerprints').where({ application_id: id }).first();
    const row = await database.db('applications').where({ id }).first('supplier_id', 'version');
    const supplier = await currentUserOf(database.db, Number(row.supplier_id));
    await database.db.transaction(async (trx) => {
      const now = t.clock.now();
      const step = { actor: supplier, now };
      await transition(trx, applicationMachine, {
        ...step,
        id,
        action: 'reopen',
        expectedVersion: row.version,
      });
      await transition(trx, applicationMachine, {
        ...step,
        id,
        action: 'submit',
        expectedVersion: row.version + 1,
      });
      await fingerprintApplication(trx, id, now);
    });
    const kept = await database
      .db('draw_fingerprints')
      .where({ application_id: id })
      .select('fingerprint');
    expect(kept).toEqual([{ fingerprint: first.fingerprint }]);
  });
});
