import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;
const SIGN_UP_PASSWORD = 'typed at the sign-up';
const NEW_PASSWORD = 'chosen from the reset link';
const QUARTER_HOUR = 15 * 60 * 1000;
const pbkdf2Async = promisify(pbkdf2);

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

/** A fresh rate-limit window for this test's requests (they all come from one address). */
const nextWindow = () => t.clock.set(new Date(t.clock.now().getTime() + QUARTER_HOUR + 1));

const signIn = (email: string, password: string) =>
  agent(t.app).post('/en/sign-in', { email, password });

/**
 * argon2 (@node-rs/argon2) runs on libuv's thread pool. Keeps every thread of it busy for about
 * `ms` (longer on a loaded machine), with PBKDF2 runs sized on this machine.
 */
const POOL_BUSY_MS = 1_500;
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
let iterationsPerMs: number | undefined;
function occupyThreadPool(ms: number): Promise<unknown> {
  if (!iterationsPerMs) {
    const started = performance.now();
    pbkdf2Sync('calibration', 'salt', 20_000, 32, 'sha256');
    iterationsPerMs = 20_000 / (performance.now() - started);
  }
  const iterations = Math.ceil(iterationsPerMs * ms);
  return Promise.all(
    Array.from({ length: POOL_SIZE }, () => pbkdf2Async('busy', 'salt', iterations, 32, 'sha256')),
  );
}

/** The path of the newest reset link sent to the address. */
async function resetLink(email: string): Promise<string> {
  const row = await database
    .db('outbox')
    .where({ recipient: email, template: 'reset-password' })
    .orderBy('id', 'desc')
    .first();
  return new URL((row.data as { link: { en: string } }).link.en).pathname;
}

async function resetThroughLink(email: string) {
  const browser = agent(t.app);
  await browser.post('/en/forgot-password', { email });
  const done = await browser.post(await resetLink(email), {
    password: NEW_PASSWORD,
    passwordConfirmation: NEW_PASSWORD,
  });
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/en/sign-in?reset=1');
}

/** A process's job runner delivering the outbox over the test's SMTP server. */
function deliverDueEmails() {
  const logger = pino({ level: 'silent' });
  const runner = createJobRunner({
    connectionString: database.url,
    clock: t.clock,
    logger,
    jobs: [
      mailDelivery({
        db: database.db,
        transport: nodemailer.createTransport(mailbox.url),
        renderer: t.deps.emailRenderer,
        clock: t.clock,
        logger,
        from: 'Micro-acquisitions <no-reply@example.gc.ca>',
      }),
    ],
  });
  return runner.runDueJobs(t.clock.now());
}

describe('password reset', () => {
  it('on an account never confirmed, confirms the address and the sign-up password is gone (H1)', async () => {
    nextWindow();
    await agent(t.app).post('/en/create-account', {
      email: 'owner@example.com',
      password: SIGN_UP_PASSWORD,
      passwordConfirmation: SIGN_UP_PASSWORD,
      language: 'en',
      privacy: 'yes',
    });
    await resetThroughLink('owner@example.com');
    const account = await database.db('users').where({ email: 'owner@example.com' }).first();
    expect(account.email_confirmed_at).not.toBeNull();
    expect((await signIn('owner@example.com', SIGN_UP_PASSWORD)).status).toBe(400);
    expect((await signIn('owner@example.com', NEW_PASSWORD)).status).toBe(303);
  });

  it('ends every session of the account, the resetting browser’s included', async () => {
    nextWindow();
    const id = await insertPerson(database.db, {
      email: 'signed-in@example.com',
      kind: 'supplier',
      password: SIGN_UP_PASSWORD,
      confirmedAt: t.clock.now(),
    });
    const elsewhere = agent(t.app);
    await elsewhere.post('/en/sign-in', {
      email: 'signed-in@example.com',
      password: SIGN_UP_PASSWORD,
    });
    await elsewhere.client.get('/en/account').expect(200);
    await resetThroughLink('signed-in@example.com');
    expect((await elsewhere.client.get('/en/account')).status).toBe(303);
    expect(
      await database.db('sessions').whereRaw(`(data->>'userId')::bigint = ?`, [id]),
    ).toHaveLength(0);
  });

  it('refuses a made-up link before any argon2 run, and the 11th POST in 15 minutes gets 429 (L3)', async () => {
    nextWindow();
    const a = agent(t.app);
    const _csrf = await a.csrf('/en/forgot-password');
    const form = { password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD, _csrf };
    // Well-formed tokens that match no link, one per POST.
    const post = (i: number) =>
      a.client
        .post(`/en/reset-password/${String(i).padStart(43, 'A')}`)
        .type('form')
        .send(form);
    await post(0); // the route's first run (templates read from disk), left out
    // While every thread of the pool argon2 runs on is busy, a request that hashes waits for
    // one to come free; one that does not answers at once.
    const busy = occupyThreadPool(POOL_BUSY_MS);
    const started = performance.now();
    for (let i = 1; i < 10; i += 1) expect((await post(i)).status).toBe(400);
    const postsMs = performance.now() - started;
    const hashStarted = performance.now();
    await hashPassword(NEW_PASSWORD);
    const hashMs = performance.now() - hashStarted;
    await busy;
    const figures = `9 POSTs in ${Math.round(postsMs)} ms, then 1 hash in ${Math.round(hashMs)} ms`;
    expect(postsMs, figures).toBeLessThan(POOL_BUSY_MS / 3);
    // The same pool made the hash wait: the measure can tell one.
    expect(hashMs, figures).toBeGreaterThan(POOL_BUSY_MS / 3);
    expect((await post(10)).status).toBe(429);
  });
});

describe('emails per recipient (L4)', () => {
  it('delivers at most 3 reset emails an hour to one address, however many requests, and the page says the same', async () => {
    nextWindow();
    await insertPerson(database.db, {
      email: 'flooded@example.com',
      kind: 'supplier',
      password: SIGN_UP_PASSWORD,
      confirmedAt: t.clock.now(),
    });
    await deliverDueEmails(); // what earlier tests queued
    mailbox.messages.length = 0;
    const a = agent(t.app);
    for (let i = 0; i < 10; i += 1) {
      // One every 6 minutes: within the hour, and under the per-IP and per-address form limits.
      t.clock.set(new Date(t.clock.now().getTime() + 6 * 60_000));
      const res = await a.post('/en/forgot-password', { email: 'Flooded@example.com' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/en/check-your-email');
    }
    await deliverDueEmails();
    expect(mailbox.messages).toHaveLength(3);
    expect(mailbox.messages.every((m) => m.subject?.startsWith('Reset your password'))).toBe(true);

    // An hour after the first, there is room again.
    t.clock.set(new Date(t.clock.now().getTime() + 7 * 60_000));
    await a.post('/en/forgot-password', { email: 'flooded@example.com' });
    await deliverDueEmails();
    expect(mailbox.messages).toHaveLength(4);
  });

  it('delivers at most 3 “you already have an account” emails an hour to one address', async () => {
    nextWindow();
    await deliverDueEmails(); // what earlier tests queued
    mailbox.messages.length = 0;
    const a = agent(t.app);
    for (let i = 0; i < 6; i += 1) {
      // One every 6 minutes: within the hour, and under the per-IP and per-address form limits.
      t.clock.set(new Date(t.clock.now().getTime() + 6 * 60_000));
      const res = await a.post('/en/create-account', {
        email: 'flooded@example.com',
        password: SIGN_UP_PASSWORD,
        passwordConfirmation: SIGN_UP_PASSWORD,
        language: 'en',
        privacy: 'yes',
      });
      expect(res.headers.location).toBe('/en/check-your-email');
    }
    await deliverDueEmails();
    expect(mailbox.messages.map((m) => m.subject)).toEqual(
      Array(3).fill('You already have an account | Vous avez déjà un compte'),
    );
  });
});
