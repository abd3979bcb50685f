import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextReference } from '../../src/opportunities/reference.ts';
import { checkSplitting } from '../../src/requests/splitting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertOpportunity } from '../helpers/fixtures.ts';

let database: TestDatabase;
let esdc: number;
let tbs: number;
const now = new Date('2026-11-23T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
});

afterAll(async () => {
  await database.drop();
});

describe('reference numbers', () => {
  it('continue after existing references and never repeat under concurrent requests', async () => {
    const id = await insertOpportunity(database.db, {
      reference: 'MA-2027-0041',
      departmentId: tbs,
    });
    await database
      .db('opportunities')
      .where({ id })
      .update({ repository_url: 'https://gitlab.com/tbs/unrelated' });
    const taken = await Promise.all(
      Array.from({ length: 8 }, () => database.db.transaction((trx) => nextReference(trx, 2027))),
    );
    expect([...taken].sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `MA-2027-${String(42 + i).padStart(4, '0')}`),
    );
    expect(await database.db.transaction((trx) => nextReference(trx, 2028))).toBe('MA-2028-0001');
  });
});

describe('contract-splitting check', () => {
  it('lists purchases of the same cost centre or repository in the last 12 months that pass $10,000 together', async () => {
    const { db } = database;
    await insertOpportunity(db, {
      reference: 'MA-2026-0501',
      departmentId: esdc,
      priceCents: 400_000,
    });
    await insertOpportunity(db, {
      reference: 'MA-2026-0502',
      departmentId: tbs,
      priceCents: 300_000,
    });
    // Same cost centre code in another department: a different cost centre.
    await db('opportunities')
      .where({ reference: 'MA-2026-0502' })
      .update({ repository_url: 'https://github.com/tbs/other' });
    // Another cost centre of ESDC, the same repository written another way.
    const sameRepo = await insertOpportunity(db, {
      reference: 'MA-2026-0503',
      departmentId: esdc,
      priceCents: 100_000,
    });
    await db('opportunities').where({ id: sameRepo }).update({
      cost_centre: '100235',
      repository_url: 'https://GitHub.com/Canada-CA/Example-Validator.git/',
    });
    // TBS buying from the same repository is not ESDC splitting, and its requests stay private.
    await insertOpportunity(db, {
      reference: 'MA-2026-0506',
      departmentId: tbs,
      priceCents: 800_000,
      status: 'screened',
    });
    const old = await insertOpportunity(db, {
      reference: 'MA-2025-0504',
      departmentId: esdc,
      priceCents: 400_000,
    });
    await db('opportunities').where({ id: old }).update({ created_at: '2025-11-01T00:00:00Z' });
    await insertOpportunity(db, {
      reference: 'MA-2026-0505',
      departmentId: esdc,
      status: 'cancelled',
    });
    const request = {
      id: 0,
      department_id: esdc,
      cost_centre: '100234',
      repository_url: 'https://github.com/canada-ca/example-validator',
      max_total_cents: 460_000,
    };
    const check = await checkSplitting(db, request, now);
    expect(check.related.map((r) => r.reference)).not.toContain('MA-2026-0506');
    expect(check.related.map((r) => r.reference)).toEqual(['MA-2026-0501', 'MA-2026-0503']);
    expect(check.related[0]).toMatchObject({ sameCostCentre: true, sameRepository: true });
    expect(check.related[1]).toMatchObject({ sameCostCentre: false, sameRepository: true });
    expect(check.totalCents).toBe(460_000 + 460_000 + 115_000);
    expect(check.exceedsCap).toBe(true);

    const small = await checkSplitting(db, { ...request, max_total_cents: 100_000 }, now);
    expect(small.totalCents).toBe(675_000);
    expect(small.exceedsCap).toBe(false);
  });
});
