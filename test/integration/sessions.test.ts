import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

/**
 * M9: a visitor who is not signed in costs no session row, even on a page with a form: their
 * forms carry a double-submit token (an HttpOnly cookie and the same value in the form). A
 * session row starts at sign-in and names its person in a column. L6: a form sent after the
 * 12-hour limit leads to the sign-in page, not to an error.
 */

const PASSWORD = 'session test passphrase';
const EMAIL = 'client@esdc.example.ca';
let database: TestDatabase;
let t: TestApp;
let userId: number;

const sessionRows = async () =>
  Number((await database.db('sessions').count<{ n: number }[]>({ n: '*' }))[0]?.n);

const formToken = (html: string) =>
  parse(html).querySelector('input[name="_csrf"]')?.getAttribute('value') ?? '';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  userId = await insertPerson(database.db, {
    email: EMAIL,
    password: PASSWORD,
    confirmedAt: t.clock.now(),
    kind: 'supplier',
  });
});

afterAll(async () => {
  await database.drop();
});

describe('sessions only when someone signs in (M9)', () => {
  it('writes no session row for 50 cookie-less GETs of the pages with an anonymous form', async () => {
    const before = await sessionRows();
    for (let i = 0; i < 50; i++) {
      const res = await request(t.app).get('/en/sign-in').expect(200);
      expect(formToken(res.text)).toMatch(/^[\w-]{43}$/);
    }
    for (const path of ['/en/create-account', '/fr/mot-de-passe-oublie', '/fr/connexion']) {
      await request(t.app).get(path).expect(200);
    }
    expect(await sessionRows()).toBe(before);
  });

  it('gives an anonymous form the token of an HttpOnly cookie, and a page without a form no cookie', async () => {
    const res = await request(t.app).get('/en/sign-in').expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toContain(`csrf=${formToken(res.text)};`);
    expect(cookies[0]).toMatch(/HttpOnly/);
    expect(cookies[0]).toMatch(/SameSite=Lax/);
    const plain = await request(t.app).get('/en/opportunities').expect(200);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });

  it("refuses an anonymous form whose token is not the cookie's", async () => {
    const page = await request(t.app).get('/en/sign-in').expect(200);
    const token = formToken(page.text);
    const form = { email: EMAIL, password: PASSWORD, _csrf: token };
    // The token without its cookie, as another site's form would send it.
    await request(t.app).post('/en/sign-in').type('form').send(form).expect(403);
    const other = await request(t.app).get('/en/sign-in');
    await request(t.app)
      .post('/en/sign-in')
      .set('Cookie', `csrf=${formToken(other.text)}`)
      .type('form')
      .send(form)
      .expect(403);
    await request(t.app)
      .post('/en/sign-in')
      .set('Cookie', `csrf=${token}`)
      .type('form')
      .send({ ...form, _csrf: '' })
      .expect(403);
    expect(await sessionRows()).toBe(0);
  });

  it('starts one session row at sign-in, naming its person in user_id', async () => {
    const before = await sessionRows();
    const a = await signIn(t.app, EMAIL, PASSWORD);
    await a.client.get('/en/account').expect(200);
    const rows = await database.db('sessions').where({ user_id: userId });
    expect(rows).toHaveLength(1);
    expect(rows[0].data.userId).toBe(userId);
    expect(await sessionRows()).toBe(before + 1);
  });

  it('takes the signed-in token from the session: the anonymous cookie pair no longer passes', async () => {
    const a = agent(t.app);
    const anonymousToken = await a.csrf('/en/sign-in');
    await a.client
      .post('/en/sign-in')
      .type('form')
      .send({ email: EMAIL, password: PASSWORD, _csrf: anonymousToken })
      .expect(303);
    await a.client.post('/en/sign-out').type('form').send({ _csrf: anonymousToken }).expect(403);
    await a.client.get('/en/account').expect(200);
    expect((await a.post('/en/sign-out', {}, '/en/account')).status).toBe(303);
  });

  it("deletes a person's sessions with their account", async () => {
    const id = await insertPerson(database.db, {
      email: 'short-lived@example.com',
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      kind: 'supplier',
    });
    await signIn(t.app, 'short-lived@example.com', PASSWORD);
    expect(await database.db('sessions').where({ user_id: id })).toHaveLength(1);
    await database.db('users').where({ id }).delete();
    expect(await database.db('sessions').where({ user_id: id })).toHaveLength(0);
  });
});

describe('the 12-hour limit (L6)', () => {
  const pastTheLimit = () => new Date(t.clock.now().getTime() + 12 * 3600_000 + 60_000);

  it('answers a form sent after it with the sign-in page, in the form’s language', async () => {
    const started = t.clock.now();
    try {
      for (const [lang, signInPath] of [
        ['en', '/en/sign-in'],
        ['fr', '/fr/connexion'],
      ] as const) {
        t.clock.set(started);
        await database.db('sessions').where({ user_id: userId }).delete();
        const a = await signIn(t.app, EMAIL, PASSWORD, lang);
        const token = await a.csrf(lang === 'en' ? '/en/account' : '/fr/compte');
        const [{ sid }] = await database.db('sessions').where({ user_id: userId }).select('sid');
        t.clock.set(pastTheLimit());
        const res = await a.client
          .post(lang === 'en' ? '/en/sign-out' : '/fr/deconnexion')
          .type('form')
          .send({ _csrf: token })
          .expect(303);
        expect(res.headers.location).toBe(signInPath);
        expect(await database.db('sessions').where({ sid })).toHaveLength(0);
        // Signed out now: the account page asks to sign in, and signing in works again.
        await a.client.get('/en/account').expect(303);
        expect((await a.post('/en/sign-in', { email: EMAIL, password: PASSWORD })).status).toBe(
          303,
        );
        await a.client.get('/en/account').expect(200);
        expect((await a.post('/en/sign-out', {}, '/en/account')).status).toBe(303);
      }
    } finally {
      t.clock.set(started);
    }
  });

  it('lets a page read after it carry on signed out', async () => {
    const started = t.clock.now();
    try {
      const a = await signIn(t.app, EMAIL, PASSWORD);
      t.clock.set(pastTheLimit());
      const res = await a.client.get('/en/account').expect(303);
      expect(res.headers.location).toBe('/en/sign-in?next=%2Fen%2Faccount');
      await a.client.get('/en/opportunities').expect(200);
    } finally {
      t.clock.set(started);
    }
  });
});
