import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

/** Each app its own day, so its windows start empty even though they share one database. */
let day = 1;
async function appOfItsOwnDay(env: NodeJS.ProcessEnv = {}) {
  day += 1;
  return createTestApp(database.db, {
    now: `2026-12-${String(day).padStart(2, '0')}T15:00:00Z`,
    env,
  });
}

/** A forgot-password POST as it arrives through whatever sets X-Forwarded-For. */
async function forgot(app: TestApp, email: string, forwardedFor?: string) {
  const a = agent(app.app);
  const _csrf = await a.csrf('/en/forgot-password');
  const req = a.client.post('/en/forgot-password').type('form');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return (await req.send({ email, _csrf })).status;
}

describe('rate limits on forms that send email', () => {
  it('refuses the 11th password-reset request from one address within 15 minutes, in both languages', async () => {
    const a = agent(t.app);
    for (let i = 0; i < 10; i += 1) {
      const res = await a.post('/en/forgot-password', { email: `person${i}@example.com` });
      expect(res.status).toBe(303);
    }
    const refused = await a.post('/fr/mot-de-passe-oublie', { email: 'one-more@example.com' });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Trop de tentatives');
    expect(refused.text).toContain('Too many attempts');
  });
});

describe('the address a limit counts (M3)', () => {
  it('ignores a client’s own X-Forwarded-For when no proxy is trusted (the default)', async () => {
    const app = await appOfItsOwnDay();
    const statuses = [];
    for (let i = 1; i <= 12; i += 1) {
      statuses.push(await forgot(app, `rotating${i}@example.com`, `203.0.113.${i}`));
    }
    expect(statuses).toEqual([...Array<number>(10).fill(303), 429, 429]);
  });

  it('counts the address one trusted proxy names with TRUST_PROXY=1', async () => {
    const app = await appOfItsOwnDay({ TRUST_PROXY: '1' });
    for (let i = 1; i <= 10; i += 1) {
      expect(await forgot(app, `proxied${i}@example.com`, '198.51.100.7')).toBe(303);
    }
    expect(await forgot(app, 'proxied11@example.com', '198.51.100.7')).toBe(429);
    // Another client behind the same proxy has its own count; a spoofed first entry is not read.
    expect(await forgot(app, 'other@example.com', '198.51.100.8')).toBe(303);
    expect(await forgot(app, 'other2@example.com', '10.9.9.9, 198.51.100.7')).toBe(429);
  });

  it('also counts per email address, from any client address', async () => {
    const app = await appOfItsOwnDay({ TRUST_PROXY: '1' });
    const cased = ['Target@Example.com', 'target@example.com ', ' TARGET@example.COM'];
    for (let i = 1; i <= 5; i += 1) {
      expect(await forgot(app, cased[i % 3]!, `192.0.2.${i}`)).toBe(303);
    }
    expect(await forgot(app, 'target@example.com', '192.0.2.99')).toBe(429);
    expect(await forgot(app, 'someone-else@example.com', '192.0.2.99')).toBe(303);
  });
});

describe('the limits of forms for signed-in people', () => {
  it('count each person, so colleagues behind one office address do not share a count', async () => {
    const app = await appOfItsOwnDay();
    const department = await insertDepartment(database.db);
    const clients = [];
    for (const email of ['first@esdc.example.ca', 'second@esdc.example.ca']) {
      const password = 'office address passphrase';
      const grants = [{ role: 'client' as const, department }];
      await insertPerson(database.db, { email, password, grants, confirmedAt: app.clock.now() });
      clients.push(await signIn(app.app, email, password));
    }
    const [first, second] = clients;
    const newRequest = async (a: typeof first) => {
      const _csrf = await a!.csrf('/en/requests/new');
      return (await a!.client.post('/en/requests/new').type('form').send({ _csrf })).status;
    };
    const statuses = [];
    for (let i = 0; i < 31; i += 1) statuses.push(await newRequest(first));
    expect(statuses.slice(0, 30).every((status) => status === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(await newRequest(second)).toBe(400);
  });
});
