import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/db/seed/demo.ts';
import { seedDemoAccountsOnce } from '../../src/db/seed/demo-accounts.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
const clock = fixedClock('2026-11-23T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoOnce(database.db, clock);
  await seedDemoAccountsOnce(database.db, 'demo passphrase 2026', clock);
});

afterAll(async () => {
  await database.drop();
});

describe('development demo data', () => {
  it('puts ESDC requests in the screening, section 32 and translation queues through the real lifecycle', async () => {
    const { db } = database;
    const rows = await db('opportunities as o')
      .join('users as u', 'u.id', 'o.requester_id')
      .orderBy('o.reference')
      .select('o.id', 'o.reference', 'o.status', 'u.email');
    expect(rows.map((r) => r.status)).toEqual(['submitted', 'screened', 'funds_approved']);
    expect(new Set(rows.map((r) => r.email))).toEqual(new Set(['client@esdc.example.ca']));
    // References continue after the published demo opportunities of the same year.
    expect(rows[0].reference).toMatch(/^MA-2026-\d{4}$/);
    const before = await db('opportunities')
      .where('reference', 'like', 'MA-2026-%')
      .whereNull('requester_id')
      .max('reference as last')
      .first();
    const number = (reference: string) => Number(reference.slice(-4));
    expect(rows.map((r) => number(r.reference))).toEqual(
      [1, 2, 3].map((n) => number(before!.last) + n),
    );
    const funded = rows[2]!;
    const events = await db('events')
      .where({ entity_type: 'opportunity', entity_id: funded.id })
      .orderBy('id')
      .select('action', 'actor_id');
    expect(events.map((e) => e.action)).toEqual(['submit', 'screen', 'approve_funds']);
    expect(events.every((e) => e.actor_id !== null)).toBe(true);
    expect(
      await db('fund_reservations').where({ opportunity_id: funded.id }).first(),
    ).toMatchObject({ amount_cents: 747_500, delegated_limit_cents: 1_000_000 });
  });
});
