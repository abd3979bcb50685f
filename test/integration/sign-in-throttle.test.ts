import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../src/accounts/service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

/**
 * Password guesses against one address slow down, and never lock the owner out (L1); an address
 * with no account takes as long to refuse as a wrong password (L2).
 */
let database: TestDatabase;
let t: TestApp;
const PASSWORD = 'the owner’s long passphrase';
const WRONG = 'a guess that is not it';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

// Past the sign-in route's per-IP window, so that only the per-address delay is at work.
beforeEach(() => advance(16 * 60));

const advance = (seconds: number) =>
  t.clock.set(new Date(t.clock.now().getTime() + seconds * 1000));

async function owner(email: string): Promise<void> {
  await insertPerson(database.db, {
    email,
    password: PASSWORD,
    confirmedAt: t.clock.now(),
    kind: 'supplier',
  });
}

async function attempt(email: string, password: string, lang: 'en' | 'fr' = 'en') {
  return agent(t.app).post(lang === 'en' ? '/en/sign-in' : '/fr/connexion', { email, password });
}

describe('guesses at one account’s password (L1)', () => {
  it('twenty guesses sent at once have at most five passwords checked; the others are told to wait', async () => {
    await owner('s34@esdc.example.ca');
    const browser = agent(t.app);
    const _csrf = await browser.csrf('/en/sign-in');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        browser.client
          .post('/en/sign-in')
          .type('form')
          // The case varies, as the review's did: it is one account.
          .send({
            email: i % 2 ? 'S34@esdc.example.ca' : 's34@esdc.example.ca',
            password: WRONG,
            _csrf,
          }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const waiting = answers.find((a) => a.status === 429)!;
    expect(waiting.headers['retry-after']).toBe('1');
    expect(waiting.text).toContain('Wait 1 second, then try again, or reset your password.');
  });

  it('lets the owner in with the right password once the wait after an attacker’s failures is over', async () => {
    await owner('finance@esdc.example.ca');
    for (let i = 0; i < 5; i++)
      expect((await attempt('finance@esdc.example.ca', WRONG)).status).toBe(400);
    // Each further failure doubles the wait: 1 s, then 2 s, then 4 s.
    for (const wait of [1, 2, 4]) {
      const early = await attempt('FINANCE@esdc.example.ca', PASSWORD, 'fr');
      expect(early.status).toBe(429);
      expect(early.text).toContain(
        `Attendez ${wait} seconde${wait > 1 ? 's' : ''}, puis réessayez`,
      );
      advance(wait);
      if (wait < 4) expect((await attempt('finance@esdc.example.ca', WRONG)).status).toBe(400);
    }
    expect((await attempt('finance@esdc.example.ca', PASSWORD)).status).toBe(303);
    // The right password cleared the count: the next mistakes cost nothing again.
    for (let i = 0; i < 5; i++)
      expect((await attempt('finance@esdc.example.ca', WRONG)).status).toBe(400);
  });

  it('never waits more than five minutes, however many failures', async () => {
    await owner('patient@supplier.example.com');
    await database.db('sign_in_failures').insert(
      Array.from({ length: 40 }, () => ({
        email_key: 'patient@supplier.example.com',
        at: t.clock.now(),
      })),
    );
    const waiting = await attempt('patient@supplier.example.com', PASSWORD);
    expect(waiting.status).toBe(429);
    expect(waiting.headers['retry-after']).toBe('300');
    expect(waiting.text).toContain('Wait 5 minutes, then try again');
    advance(300);
    expect((await attempt('patient@supplier.example.com', PASSWORD)).status).toBe(303);
  });
});

/**
 * The fastest of a few refusals of a wrong password, in milliseconds (the least disturbed by other
 * work), timed around the sign-in check itself: the page around it costs the same either way.
 */
async function fastest(emails: string[]): Promise<number> {
  const times: number[] = [];
  for (const email of emails) {
    const started = performance.now();
    const result = await signIn(t.deps, { email, password: WRONG });
    times.push(performance.now() - started);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
  }
  return Math.min(...times);
}

describe('the time of a refusal (L2)', () => {
  it('is the same for an address with no account, or an account with no password, as for a wrong password', async () => {
    await owner('known@supplier.example.com');
    await database.db('users').insert({
      email: 'github.only@supplier.example.com',
      kind: 'supplier',
      github_id: '9001',
      email_confirmed_at: t.clock.now(),
    });
    const known = await fastest(Array.from({ length: 4 }, () => 'known@supplier.example.com'));
    const unknown = await fastest(
      Array.from({ length: 4 }, (_, i) => `nobody${i}@supplier.example.com`),
    );
    const passwordless = await fastest(
      Array.from({ length: 4 }, () => 'github.only@supplier.example.com'),
    );
    // One argon2 verification is most of a refusal's time: without it the unknown address and
    // the passwordless account were refused in a seventh of the time (2 ms against 14 ms).
    expect(unknown / known).toBeGreaterThan(0.7);
    expect(passwordless / known).toBeGreaterThan(0.7);
  });
});
