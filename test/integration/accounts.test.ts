import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { agent } from '../helpers/session.ts';

let database: TestDatabase;
let t: TestApp;
const PASSWORD = 'a long enough passphrase';

async function lastEmailLink(to: string, pattern: RegExp): Promise<string> {
  const row = await database.db('outbox').where({ recipient: to }).orderBy('id', 'desc').first();
  const match = JSON.stringify(row.data).match(pattern);
  if (!match) throw new Error(`no link in ${row.template}`);
  return new URL(match[0]).pathname;
}

const CONFIRM_LINK = /http[^"]*\/en\/confirm-email\/[\w-]+/;

/** Presses the button on the page of the emailed confirmation link, as the person does. */
async function confirmAddress(email: string) {
  return agent(t.app).post(await lastEmailLink(email, CONFIRM_LINK), { password: PASSWORD });
}

async function signUp(email: string, lang: 'en' | 'fr' = 'en') {
  const a = agent(t.app);
  const path = lang === 'en' ? '/en/create-account' : '/fr/creer-un-compte';
  return a.post(path, {
    email,
    password: PASSWORD,
    passwordConfirmation: PASSWORD,
    language: lang,
    privacy: 'yes',
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

describe('supplier accounts', () => {
  it('signs up, confirms the email by its link, and signs in', async () => {
    const res = await signUp('ada@example.com');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/en/check-your-email');
    const confirm = await lastEmailLink('ada@example.com', CONFIRM_LINK);
    const browser = agent(t.app);
    const early = await browser.post('/en/sign-in', {
      email: 'ada@example.com',
      password: PASSWORD,
    });
    expect(early.status).toBe(400);
    expect(early.text).toContain('Confirm your email address first');
    const page = await agent(t.app).post(confirm, { password: PASSWORD });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Your email address is confirmed');
    // Single use: the link's page no longer offers the button, and a POST is refused.
    await request(t.app).get(confirm).expect(400);
    expect((await agent(t.app).post(confirm, { password: PASSWORD }, '/en/sign-in')).status).toBe(
      400,
    );
    const signedIn = await browser.post('/en/sign-in', {
      email: 'ADA@example.com',
      password: PASSWORD,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers['set-cookie']?.[0]).toMatch(/HttpOnly/i);
    expect(signedIn.headers['set-cookie']?.[0]).toMatch(/SameSite=Lax/i);
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('ada@example.com');
  });

  it('answers the same whether or not the address already has an account', async () => {
    const first = await signUp('same@example.com');
    const second = await signUp('same@example.com');
    expect(second.status).toBe(first.status);
    expect(second.headers.location).toBe(first.headers.location);
    const templates = await database
      .db('outbox')
      .where({ recipient: 'same@example.com' })
      .orderBy('id')
      .pluck('template');
    expect(templates).toEqual(['confirm-email', 'account-exists']);
    expect(
      await database.db('users').whereRaw('lower(email) = ?', ['same@example.com']),
    ).toHaveLength(1);
  });

  it('creates one account when the same new address signs up several times at once', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => signUp('twice@example.com')));
    expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303]);
    expect(
      await database.db('users').whereRaw('lower(email) = ?', ['twice@example.com']),
    ).toHaveLength(1);
  });

  it('keeps what was typed (not passwords) and shows a French error summary linked to the fields', async () => {
    const a = agent(t.app);
    const res = await a.post('/fr/creer-un-compte', {
      email: 'pas-une-adresse',
      password: 'court',
      passwordConfirmation: 'autre',
      language: 'fr',
    });
    expect(res.status).toBe(400);
    const page = parse(res.text);
    const links = page
      .querySelectorAll('.error-summary a')
      .map((l) => [l.getAttribute('href'), l.text]);
    expect(links).toEqual([
      ['#email', 'Entrez une adresse courriel valide, par exemple nom@exemple.ca.'],
      ['#password', 'Saisissez un mot de passe de 12 à 128 caractères.'],
      ['#privacy', 'Vous devez cocher la case pour continuer.'],
    ]);
    expect(page.querySelector('#email')?.getAttribute('value')).toBe('pas-une-adresse');
    expect(page.querySelector('#password')?.getAttribute('value')).toBe('');
    expect(page.querySelector('#email')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('makes even the right password wait after ten failures, and only for a while (L1)', async () => {
    await signUp('brute@example.com');
    await confirmAddress('brute@example.com');
    const a = agent(t.app);
    const failures = await database
      .db('sign_in_failures')
      .insert(
        Array.from({ length: 10 }, () => ({ email_key: 'brute@example.com', at: t.clock.now() })),
      );
    expect(failures).toBeTruthy();
    const locked = await a.post('/fr/connexion', {
      email: 'brute@example.com',
      password: PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Trop de tentatives infructueuses pour ce compte');
    // After ten failures the wait is 2^5 seconds (sign-in-throttle.test.ts has the rest).
    t.clock.set(new Date(t.clock.now().getTime() + 32 * 1000));
    const later = await a.post('/en/sign-in', { email: 'brute@example.com', password: PASSWORD });
    expect(later.status).toBe(303);
  });

  it('resets a forgotten password through a single-use link that expires', async () => {
    await signUp('reset@example.com');
    await confirmAddress('reset@example.com');
    const a = agent(t.app);
    const asked = await a.post('/en/forgot-password', { email: 'reset@example.com' });
    expect(asked.headers.location).toBe('/en/check-your-email');
    const unknown = await a.post('/en/forgot-password', { email: 'nobody@example.com' });
    expect(unknown.headers.location).toBe(asked.headers.location);
    const link = await lastEmailLink('reset@example.com', /http[^"]*\/en\/reset-password\/[\w-]+/);
    const newPassword = 'another long passphrase';
    const done = await a.post(link, { password: newPassword, passwordConfirmation: newPassword });
    expect(done.status).toBe(303);
    const reused = await a.post(
      link,
      { password: newPassword, passwordConfirmation: newPassword },
      '/en/forgot-password',
    );
    expect(reused.status).toBe(400);
    expect(
      (await a.post('/en/sign-in', { email: 'reset@example.com', password: newPassword })).status,
    ).toBe(303);

    await a.post('/en/forgot-password', { email: 'reset@example.com' });
    const expired = await lastEmailLink(
      'reset@example.com',
      /http[^"]*\/en\/reset-password\/[\w-]+/,
    );
    t.clock.set(new Date(t.clock.now().getTime() + 61 * 60 * 1000));
    const late = await a.post(
      expired,
      { password: PASSWORD, passwordConfirmation: PASSWORD },
      '/en/forgot-password',
    );
    expect(late.status).toBe(400);
  });

  it('signs out with a POST that destroys the session', async () => {
    await signUp('out@example.com');
    await confirmAddress('out@example.com');
    const a = agent(t.app);
    await a.post('/en/sign-in', { email: 'out@example.com', password: PASSWORD });
    await a.client.get('/en/account').expect(200);
    const out = await a.post('/en/sign-out', {}, '/en/account');
    expect(out.status).toBe(303);
    const after = await a.client.get('/en/account');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/en/sign-in?next=%2Fen%2Faccount');
  });

  it('ends a session 12 hours after sign-in however active it is, and stores it in PostgreSQL', async () => {
    await signUp('long@example.com');
    await confirmAddress('long@example.com');
    const a = agent(t.app);
    await a.post('/en/sign-in', { email: 'long@example.com', password: PASSWORD });
    const [user] = await database.db('users').where({ email: 'long@example.com' }).pluck('id');
    const stored = await database.db('sessions').whereRaw(`(data->>'userId')::bigint = ?`, [user]);
    expect(stored).toHaveLength(1);
    await a.client.get('/en/account').expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 11 * 60 * 60 * 1000));
    await a.client.get('/en/account').expect(200);
    t.clock.set(new Date(t.clock.now().getTime() + 60 * 60 * 1000 + 1));
    expect((await a.client.get('/en/account')).status).toBe(303);
  });

  it('refuses a POST without the CSRF token and changes nothing', async () => {
    const before = await database.db('users').count({ n: '*' }).first();
    const res = await request(t.app).post('/en/create-account').type('form').send({
      email: 'csrf@example.com',
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
      language: 'en',
      privacy: 'yes',
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This action was refused');
    expect(await database.db('users').count({ n: '*' }).first()).toEqual(before);
  });
});
