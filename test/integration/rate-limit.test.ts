import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Options } from 'express-rate-limit';
import { routeTable } from '../../src/app.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import {
  deleteExpiredRateLimits,
  PostgresRateLimitStore,
  rateLimit,
} from '../../src/platform/rate-limit-store.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;

const START = '2026-11-23T12:00:00Z';
const WINDOW_MS = 60_000;
const LIMIT = 3;

type TestClock = ReturnType<typeof fixedClock>;

/** A separate app instance, as another process would build it: nothing shared but the database. */
function limitedApp(
  clock: TestClock,
  name: string,
  keyGenerator?: (req: express.Request) => string,
): Express {
  const app = express();
  app.get(
    '/limited',
    rateLimit(
      { db: database.db, clock },
      {
        name,
        windowMs: WINDOW_MS,
        limit: LIMIT,
        ...(keyGenerator && { keyGenerator }),
        handler: (_req, res) => {
          res.status(429).send('too many');
        },
      },
    ),
    (_req, res) => {
      res.send('ok');
    },
  );
  return app;
}

const byClientHeader = (req: express.Request) => req.get('x-client') ?? 'anonymous';

async function expectAllowed(app: Express, times: number, client?: string) {
  for (let i = 0; i < times; i += 1) {
    const req = request(app).get('/limited');
    const res = await (client ? req.set('x-client', client) : req);
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
  }
}

async function expectLimited(app: Express, client?: string) {
  const req = request(app).get('/limited');
  const res = await (client ? req.set('x-client', client) : req);
  expect(res.status).toBe(429);
  expect(res.text).toBe('too many');
}

function newStore(clock: TestClock, prefix: string) {
  const store = new PostgresRateLimitStore(database.db, clock, prefix);
  store.init({ windowMs: WINDOW_MS } as Options);
  return store;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('PostgreSQL rate limiting', () => {
  it('refuses the request after the limit within one window', async () => {
    const app = limitedApp(fixedClock(START), 'over-limit');
    await expectAllowed(app, LIMIT);
    await expectLimited(app);
  });

  it('sends draft-8 standard headers and no legacy ones', async () => {
    const res = await request(limitedApp(fixedClock(START), 'headers')).get('/limited');
    expect(res.headers['ratelimit-policy']).toMatch(/^"3-in-1min"; q=3; w=60\b/);
    // `t` is computed by the library from the real clock, so only its shape is checked.
    expect(res.headers['ratelimit']).toMatch(/^"3-in-1min"; r=2; t=\d+$/);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('shares the count between app instances using the same database', async () => {
    const clock = fixedClock(START);
    const first = limitedApp(clock, 'shared');
    const second = limitedApp(clock, 'shared');
    await expectAllowed(first, LIMIT - 1);
    await expectAllowed(second, 1);
    await expectLimited(second);
    await expectLimited(first);
  });

  it('starts a new count once the window has passed', async () => {
    const clock = fixedClock(START);
    const app = limitedApp(clock, 'window');
    await expectAllowed(app, LIMIT);
    await expectLimited(app);

    clock.set(new Date(Date.parse(START) + WINDOW_MS - 1));
    await expectLimited(app);

    clock.set(new Date(Date.parse(START) + WINDOW_MS));
    await expectAllowed(app, LIMIT);
    await expectLimited(app);
  });

  it('counts different keys separately', async () => {
    const app = limitedApp(fixedClock(START), 'keys', byClientHeader);
    await expectAllowed(app, LIMIT, 'alice');
    await expectLimited(app, 'alice');
    await expectAllowed(app, LIMIT, 'bob');
    await expectLimited(app, 'bob');
  });

  it('keeps limiters with different names apart', async () => {
    const clock = fixedClock(START);
    await expectAllowed(limitedApp(clock, 'sign-in'), LIMIT);
    await expectLimited(limitedApp(clock, 'sign-in'));
    await expectAllowed(limitedApp(clock, 'sign-up'), 1);
  });

  it('resetKey clears only that key', async () => {
    const clock = fixedClock(START);
    const app = limitedApp(clock, 'reset', byClientHeader);
    await expectAllowed(app, LIMIT, 'alice');
    await expectAllowed(app, LIMIT, 'bob');

    await newStore(clock, 'reset').resetKey('alice');

    await expectAllowed(app, LIMIT, 'alice');
    await expectLimited(app, 'alice');
    await expectLimited(app, 'bob');
  });

  it('get reports the current window; decrement never goes below zero', async () => {
    const clock = fixedClock(START);
    const store = newStore(clock, 'store');
    expect(await store.get('carol')).toBeUndefined();

    const resetTime = new Date(Date.parse(START) + WINDOW_MS);
    expect(await store.increment('carol')).toEqual({ totalHits: 1, resetTime });
    expect(await store.increment('carol')).toEqual({ totalHits: 2, resetTime });
    expect(await store.get('carol')).toEqual({ totalHits: 2, resetTime });

    await store.decrement('carol');
    await store.decrement('carol');
    await store.decrement('carol');
    expect(await store.get('carol')).toEqual({ totalHits: 0, resetTime });
    expect(await store.increment('carol')).toEqual({ totalHits: 1, resetTime });

    clock.set(resetTime);
    expect(await store.get('carol')).toBeUndefined();
  });

  it('housekeeping deletes only expired windows', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    const store = newStore(clock, 'housekeeping');
    await store.increment('old');
    clock.set('2030-01-01T00:00:30Z');
    await store.increment('new');

    clock.set(new Date(Date.parse('2030-01-01T00:00:00Z') + WINDOW_MS));
    await deleteExpiredRateLimits(database.db, clock);

    const keys = await database.db('rate_limits').whereLike('key', 'housekeeping:%').pluck('key');
    expect(keys).toEqual(['housekeeping:new']);
  });
});

describe('the route table’s limits', () => {
  it('has a limit on every POST, each with its own name (a new form cannot forget one)', async () => {
    const t = await createTestApp(database.db);
    const routes = routeTable(t.deps);
    const unlimited = routes
      .filter((route) => route.method === 'post' && !route.limit)
      .map((route) => `POST ${route.page}`);
    expect(unlimited).toEqual([]);
    const names = routes.flatMap((route) => (route.limit ? [route.limit.name] : []));
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    for (const route of routes.filter((r) => r.limit)) {
      const { limit, windowMs, perTarget } = route.limit!;
      expect(limit, route.page).toBeGreaterThan(0);
      expect(windowMs, route.page).toBeGreaterThanOrEqual(60_000);
      if (perTarget) expect(perTarget.limit, route.page).toBeGreaterThan(0);
    }
    expect(names.length).toBeGreaterThanOrEqual(25);
  });
});
