import { parse } from 'node-html-parser';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpExpiryJobs } from '../../src/accounts/sign-up-expiry.ts';
import { addJob, createJobRunner } from '../../src/platform/jobs.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

let database: TestDatabase;
let t: TestApp;
const ATTACKER_PASSWORD = 'the attacker chose this';
const OWNER_PASSWORD = 'the owner chose this one';
const HOURS = 60 * 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

function signUp(email: string, password: string) {
  return agent(t.app).post('/en/create-account', {
    email,
    password,
    passwordConfirmation: password,
    language: 'en',
    privacy: 'yes',
  });
}

const signIn = (email: string, password: string) =>
  agent(t.app).post('/en/sign-in', { email, password });

/** The path of the newest confirmation link sent to the address. */
async function confirmationLink(email: string): Promise<string> {
  const row = await database
    .db('outbox')
    .where({ recipient: email, template: 'confirm-email' })
    .orderBy('id', 'desc')
    .first();
  return new URL((row.data as { link: { en: string } }).link.en).pathname;
}

const accountOf = (email: string) =>
  database.db('users').whereRaw('lower(email) = lower(?)', [email]).first();

const later = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms));

describe('email confirmation (H1)', () => {
  it('leaves the address unconfirmed when the emailed link is only read, as a mail scanner does', async () => {
    await signUp('scanned@example.com', ATTACKER_PASSWORD);
    const link = await confirmationLink('scanned@example.com');
    // A scanner fetches the link, perhaps more than once, without a session.
    for (let i = 0; i < 3; i += 1) {
      const page = await request(t.app).get(link).expect(200);
      expect(parse(page.text).querySelector(`form[action="${link}"] button`)?.text).toBe(
        'Confirm my email address',
      );
    }
    expect((await accountOf('scanned@example.com')).email_confirmed_at).toBeNull();
    const early = await signIn('scanned@example.com', ATTACKER_PASSWORD);
    expect(early.status).toBe(400);
    expect(early.text).toContain('Confirm your email address first');
  });

  it('confirms the address when the person presses the button, once', async () => {
    await signUp('pressed@example.com', OWNER_PASSWORD);
    const link = await confirmationLink('pressed@example.com');
    const done = await agent(t.app).post(link, { password: OWNER_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your email address is confirmed');
    expect((await accountOf('pressed@example.com')).email_confirmed_at).not.toBeNull();
    expect((await signIn('pressed@example.com', OWNER_PASSWORD)).status).toBe(303);
    const again = await agent(t.app).post(link, { password: OWNER_PASSWORD }, '/en/sign-in');
    expect(again.status).toBe(400);
    expect(again.text).toContain('This link does not work');
  });

  it('does not let the mailbox owner confirm a stranger’s sign-up: the button wants its password', async () => {
    await signUp('owner@company.example', ATTACKER_PASSWORD);
    const link = await confirmationLink('owner@company.example');
    // The owner of the mailbox never chose this account's password: pressing the button with
    // nothing, or with their own usual password, confirms nothing and uses nothing.
    const empty = await agent(t.app).post(link, {});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your password to continue.');
    const guessed = await agent(t.app).post(link, { password: OWNER_PASSWORD });
    expect(guessed.status).toBe(400);
    expect(guessed.text).toContain('This is not the password chosen when this account was created');
    expect((await accountOf('owner@company.example')).email_confirmed_at).toBeNull();
    // The link still works for whoever knows the password (it was not used up).
    const french = await agent(t.app).post(
      link.replace('/en/confirm-email/', '/fr/confirmer-courriel/'),
      { password: 'wrong one' },
    );
    expect(french.text).toContain('Ce n’est pas le mot de passe choisi');
    expect((await agent(t.app).post(link, { password: ATTACKER_PASSWORD })).status).toBe(200);
  });

  it('refuses the button without its CSRF token, in French too', async () => {
    await signUp('nocsrf@example.com', OWNER_PASSWORD);
    const link = await confirmationLink('nocsrf@example.com');
    const page = await request(t.app).get(
      link.replace('/en/confirm-email/', '/fr/confirmer-courriel/'),
    );
    expect(page.text).toContain('Confirmer mon adresse courriel');
    await request(t.app).post(link).type('form').send({}).expect(403);
    expect((await accountOf('nocsrf@example.com')).email_confirmed_at).toBeNull();
  });

  it('limits the button’s POSTs: the 11th within 15 minutes gets 429', async () => {
    later(15 * 60 * 1000 + 1);
    const a = agent(t.app);
    const _csrf = await a.csrf('/en/sign-in');
    const bogus = `/en/confirm-email/${'A'.repeat(43)}`;
    for (let i = 0; i < 10; i += 1) {
      await a.client.post(bogus).type('form').send({ _csrf }).expect(400);
    }
    await a.client.post(bogus).type('form').send({ _csrf }).expect(429);
    later(15 * 60 * 1000 + 1);
  });
});

describe('sign-ups never confirmed expire with their link (H1)', () => {
  it('are deleted by the hourly job, and nothing else is', async () => {
    await signUp('expired@example.com', ATTACKER_PASSWORD);
    later(47 * HOURS);
    await signUp('pending@example.com', OWNER_PASSWORD);
    await signUp('confirmed@example.com', OWNER_PASSWORD);
    await agent(t.app).post(await confirmationLink('confirmed@example.com'), {
      password: OWNER_PASSWORD,
    });
    // A staff account whose invitation is not accepted yet is no sign-up: it does not expire.
    await insertPerson(database.db, {
      email: 'invited@example.gc.ca',
      password: OWNER_PASSWORD,
      confirmedAt: null,
    });
    later(1 * HOURS + 1);

    const logger = pino({ level: 'silent' });
    const runner = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [signUpExpiryJobs({ db: database.db, clock: t.clock, logger })],
    });
    const schedule = signUpExpiryJobs({ db: database.db, clock: t.clock, logger }).schedule;
    expect(schedule).toEqual({ 'delete-expired-sign-ups': '0 * * * *' });
    await database.db.transaction((trx) =>
      addJob(trx, { task: 'delete-expired-sign-ups', payload: {}, runAt: t.clock.now() }),
    );
    expect(await runner.runDueJobs(t.clock.now())).toBe(1);

    expect(await accountOf('expired@example.com')).toBeUndefined();
    for (const kept of ['pending@example.com', 'confirmed@example.com', 'invited@example.gc.ca']) {
      expect(await accountOf(kept), kept).toBeDefined();
    }
  });

  it('refuses an expired link, and the address is free for its owner again', async () => {
    await signUp('squatted@example.com', ATTACKER_PASSWORD);
    const squatter = await accountOf('squatted@example.com');
    const stale = await confirmationLink('squatted@example.com');
    later(48 * HOURS + 1);
    const page = await request(t.app).get(stale);
    expect(page.status).toBe(400);
    expect(page.text).not.toContain('<form method="post" action="/en/confirm-email');
    const pressed = await agent(t.app).post(stale, { password: ATTACKER_PASSWORD }, '/en/sign-in');
    expect(pressed.status).toBe(400);
    expect((await accountOf('squatted@example.com')).email_confirmed_at).toBeNull();

    // Before any job has run, the owner signs up: a new account and a new link, not the
    // "you already have an account" email.
    expect((await signUp('Squatted@example.com', OWNER_PASSWORD)).status).toBe(303);
    const owner = await accountOf('squatted@example.com');
    expect(owner.id).not.toBe(squatter.id);
    expect(await database.db('users').where({ id: squatter.id })).toHaveLength(0);
    const templates = await database
      .db('outbox')
      .whereRaw('lower(recipient) = ?', ['squatted@example.com'])
      .orderBy('id')
      .pluck('template');
    expect(templates).toEqual(['confirm-email', 'confirm-email']);
    expect(
      (
        await agent(t.app).post(await confirmationLink('Squatted@example.com'), {
          password: OWNER_PASSWORD,
        })
      ).status,
    ).toBe(200);
    expect((await signIn('squatted@example.com', OWNER_PASSWORD)).status).toBe(303);
    expect((await signIn('squatted@example.com', ATTACKER_PASSWORD)).status).toBe(400);
  });
});
