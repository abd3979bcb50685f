import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { publicStatuses } from '../../src/opportunities/states.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: '2026-11-23T15:00:00Z' });
  await seedDemoOnce(t.deps, 'demo passphrase 2026');
});

afterAll(async () => {
  await database.drop();
});

describe('development demo data', () => {
  it('puts ESDC requests in the screening, section 32 and translation queues through the real lifecycle', async () => {
    const { db } = database;
    const rows = await db('opportunities as o')
      .join('users as u', 'u.id', 'o.requester_id')
      .whereNotIn('o.status', publicStatuses)
      .orderBy('o.reference')
      .select('o.id', 'o.reference', 'o.status', 'u.email');
    expect(rows.map((r) => r.status)).toEqual(['submitted', 'screened', 'funds_approved']);
    expect(new Set(rows.map((r) => r.email))).toEqual(new Set(['client@esdc.example.ca']));
    // References continue after the published demo opportunities of the same year.
    expect(rows[0].reference).toMatch(/^MA-2026-\d{4}$/);
    const before = await db('opportunities')
      .where('reference', 'like', 'MA-2026-%')
      .whereIn('status', publicStatuses)
      .max('reference as last')
      .first();
    const number = (reference: string) => Number(reference.slice(-4));
    expect(rows.map((r) => number(r.reference))).toEqual(
      [1, 2, 3].map((n) => number(before!.last) + n),
    );
    const funded = rows[2]!;
    const events = await db('events')
      .where({ entity_type: 'opportunity', entity_id: funded.id })
      .whereNotNull('to_state')
      .orderBy('id')
      .select('action', 'actor_id');
    expect(events.map((e) => e.action)).toEqual([
      'request_started',
      'submit',
      'screen',
      'approve_funds',
    ]);
    expect(events.every((e) => e.actor_id !== null)).toBe(true);
    expect(
      await db('fund_reservations').where({ opportunity_id: funded.id }).first(),
    ).toMatchObject({ amount_cents: 747_500, delegated_limit_cents: 1_000_000 });
  });

  it('gives every opportunity the status of its last status event', async () => {
    const rows: { reference: string; status: string; last: string | null }[] = await database
      .db('opportunities as o')
      .select(
        'o.reference',
        'o.status',
        database.db.raw(
          `(SELECT e.to_state FROM events e WHERE e.entity_type = 'opportunity'
            AND e.entity_id = o.id AND e.to_state IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS last`,
        ),
      );
    expect(rows.length).toBe(15);
    expect(rows.filter((r) => r.status !== r.last)).toEqual([]);
    // Open ones, closed ones, a cancelled one and the requests in the queues.
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(['published', 'closed', 'cancelled', 'submitted', 'screened', 'funds_approved']),
    );
    expect(rows.find((r) => r.reference.startsWith('MA-2021-'))?.status).toBe('closed');
  });

  it('names who acted in every event, but the closing job’s', async () => {
    const { db } = database;
    const nobody = await db('events').whereNull('actor_id').select('action', 'entity_type');
    expect(nobody.length).toBeGreaterThan(0);
    expect(new Set(nobody.map((e) => e.action))).toEqual(new Set(['close']));
    const closings = await db('events').where({ action: 'close' }).count({ n: '*' }).first();
    const closed = await db('opportunities').where({ status: 'closed' }).count({ n: '*' }).first();
    expect(closings).toEqual(closed);
    expect(
      await db('events').whereNull('opportunity_id').orWhereNull('department_id').first(),
    ).toBeUndefined();
  });

  it('holds section 32 for every public opportunity, approved by someone else than the requester', async () => {
    const rows: {
      reference: string;
      status: string;
      requester_id: number;
      approved_by: number | null;
      released_at: Date | null;
    }[] = await database
      .db('opportunities as o')
      .leftJoin('fund_reservations as f', 'f.opportunity_id', 'o.id')
      .whereIn('o.status', publicStatuses)
      .select('o.reference', 'o.status', 'o.requester_id', 'f.approved_by', 'f.released_at');
    expect(rows.length).toBe(12);
    for (const row of rows) {
      expect(row.approved_by, row.reference).not.toBeNull();
      expect(row.approved_by, row.reference).not.toBe(row.requester_id);
      // Cancelled after publication: finance has since released the funds.
      if (row.status === 'cancelled') expect(row.released_at, row.reference).not.toBeNull();
      else expect(row.released_at, row.reference).toBeNull();
    }
  });

  it('dates the history as today: open ones opened days ago, the pilot’s in 2021', async () => {
    const now = t.clock.now().getTime();
    const latest = await database.db('events').max('at as at').first();
    expect(new Date(latest!.at).getTime()).toBeLessThanOrEqual(now);
    const open = await database.db('opportunities').where({ status: 'published' });
    expect(open.length).toBe(6);
    for (const o of open) {
      expect(new Date(o.opens_at).getTime()).toBeLessThan(now);
      expect(new Date(o.closes_at).getTime()).toBeGreaterThan(now);
    }
    const pilot = await database.db('opportunities').where('reference', 'MA-2021-0001').first();
    expect(pilot.opens_at).toEqual(new Date('2021-06-23T14:00:00Z'));
    expect(pilot.closes_at).toEqual(new Date('2021-07-12T18:00:00Z'));
  });

  it('loads once: a second start changes nothing', async () => {
    const count = async () =>
      Promise.all(
        ['departments', 'users', 'opportunities', 'events', 'fund_reservations'].map(
          async (table) => Number((await database.db(table).count({ n: '*' }).first())?.n),
        ),
      );
    const before = await count();
    expect(await seedDemoOnce(t.deps, 'demo passphrase 2026')).toBe(false);
    expect(await count()).toEqual(before);
  });
});
