import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { expectBilingual, expectSignedOut, federatedWorld } from '../helpers/federated-world.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import {
  followToSite,
  idpAccounts,
  OIDC_CLIENT,
  pathOf,
  PUBLIC_URL,
  signsInNext,
} from '../helpers/identity-provider.ts';
import { insertPerson } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

/** Public servants sign in with their department's OpenID Connect provider. */
const w = federatedWorld();

describe('staff sign-in with the department’s OpenID Connect provider', () => {
  it('sends the person to the provider with state, nonce and PKCE, then signs them in as a new staff account without roles', async () => {
    idpAccounts.set('emp-1001', { email: 'Jeanne.Roy@esdc.example.ca', name: 'Jeanne Roy' });
    const { browser, sent, back, callback } = await w.staffSignIn('emp-1001');
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({
      client_id: OIDC_CLIENT.id,
      response_type: 'code',
      redirect_uri: `${PUBLIC_URL}/en/staff-sign-in/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{40,}$/),
      nonce: expect.stringMatching(/^[\w-]{40,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(back.pathname).toBe('/en/staff-sign-in/callback');
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/en/work-queues');
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('Jeanne.Roy@esdc.example.ca');
    expect(account.text).toContain('Public servant');
    const user = await w.database.db('users').where({ oidc_subject: 'emp-1001' }).first();
    expect(user).toMatchObject({ kind: 'staff', display_name: 'Jeanne Roy', password_hash: null });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(await w.database.db('role_grants').where({ user_id: user.id })).toEqual([]);
  });

  it('reuses the account on the next sign-in with the same subject, even after an email change', async () => {
    const before = await w.database.db('users').where({ oidc_subject: 'emp-1001' }).first();
    idpAccounts.set('emp-1001', { email: 'jeanne.roy@hrsdc.example.ca', name: 'Jeanne Roy' });
    const { browser, callback } = await w.staffSignIn('emp-1001');
    expect(callback.status).toBe(303);
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('Jeanne.Roy@esdc.example.ca');
    expect(await w.database.db('users').where({ oidc_subject: 'emp-1001' })).toHaveLength(1);
    expect((await w.database.db('users').where({ oidc_subject: 'emp-1001' }).first()).id).toBe(
      before.id,
    );
  });

  it('links an existing staff account by its email address (any case) and records the subject', async () => {
    const id = await w.insertUser('marc.gagnon@esdc.example.ca', 'staff');
    idpAccounts.set('emp-2002', { email: 'MARC.GAGNON@esdc.example.ca' });
    const { browser, callback } = await w.staffSignIn('emp-2002');
    expect(callback.status).toBe(303);
    expect((await w.database.db('users').where({ id }).first()).oidc_subject).toBe('emp-2002');
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('marc.gagnon@esdc.example.ca');
  });

  it('works from the French pages, with the French callback', async () => {
    idpAccounts.set('emp-3003', { email: 'luc.bergeron@esdc.example.ca' });
    const { browser, back, callback } = await w.staffSignIn('emp-3003', 'fr');
    expect(back.pathname).toBe('/fr/connexion-personnel/retour');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/fr/a-traiter');
    const account = await browser.client.get('/fr/compte').expect(200);
    expect(account.text).toContain('luc.bergeron@esdc.example.ca');
    expect(account.text).toContain('Fonctionnaire');
  });

  it('refuses a callback whose state does not match, and signs nobody in', async () => {
    idpAccounts.set('emp-4004', { email: 'mallory@esdc.example.ca' });
    signsInNext('emp-4004');
    const browser = agent(w.t.app);
    const start = await browser.client.get('/en/staff-sign-in');
    const back = await followToSite(start.headers.location!);
    back.searchParams.set('state', 'not-the-state-we-sent');
    const callback = await browser.client.get(pathOf(back));
    expect(callback.status).toBe(400);
    expectBilingual(
      callback.text,
      'en',
      'Sign-in with your department account did not work',
      'La connexion avec le compte de votre ministère n’a pas fonctionné',
    );
    await expectSignedOut(browser);
    expect(await w.database.db('users').where({ oidc_subject: 'emp-4004' })).toEqual([]);
    // The sign-in was used up: the right state cannot be replayed in the same session.
    back.searchParams.set('state', new URL(start.headers.location!).searchParams.get('state')!);
    expect((await browser.client.get(pathOf(back))).status).toBe(400);
    await expectSignedOut(browser);
  });

  it('refuses a callback that no sign-in started, in French on the French path', async () => {
    const browser = agent(w.t.app);
    const callback = await browser.client.get('/fr/connexion-personnel/retour?code=abc&state=xyz');
    expect(callback.status).toBe(400);
    expectBilingual(
      callback.text,
      'fr',
      'Sign-in with your department account did not work',
      'La connexion avec le compte de votre ministère n’a pas fonctionné',
    );
    await expectSignedOut(browser, 'fr');
  });

  it('refuses an address that belongs to a supplier account, in both languages', async () => {
    await w.insertUser('ada@supplier.example.com', 'supplier');
    idpAccounts.set('emp-5005', { email: 'ada@supplier.example.com' });
    for (const lang of ['en', 'fr'] as const) {
      const { browser, callback } = await w.staffSignIn('emp-5005', lang);
      expect(callback.status).toBe(403);
      expectBilingual(
        callback.text,
        lang,
        'This address belongs to a supplier account',
        'Cette adresse appartient à un compte de fournisseur',
      );
      await expectSignedOut(browser, lang);
    }
    const supplier = await w.database
      .db('users')
      .where({ email: 'ada@supplier.example.com' })
      .first();
    expect(supplier).toMatchObject({ kind: 'supplier', oidc_subject: null });
  });

  it('refuses a closed staff account and an address the provider has not verified', async () => {
    await w.insertUser('gone@esdc.example.ca', 'staff', { closed_at: w.t.clock.now() });
    idpAccounts.set('emp-6006', { email: 'gone@esdc.example.ca' });
    const closed = await w.staffSignIn('emp-6006');
    expect(closed.callback.status).toBe(403);
    expect(closed.callback.text).toContain('This account is closed');
    await expectSignedOut(closed.browser);

    idpAccounts.set('emp-7007', { email: 'unchecked@esdc.example.ca', emailVerified: false });
    const unverified = await w.staffSignIn('emp-7007');
    expect(unverified.callback.status).toBe(403);
    expect(unverified.callback.text).toContain('did not give a verified email address');
    expect(await w.database.db('users').where({ oidc_subject: 'emp-7007' })).toEqual([]);
  });

  it('returns to the page that asked for sign-in', async () => {
    idpAccounts.set('emp-8008', { email: 'back@esdc.example.ca' });
    signsInNext('emp-8008');
    const browser = agent(w.t.app);
    const start = await browser.client.get('/en/staff-sign-in?next=%2Fen%2Fopportunities');
    const back = await followToSite(start.headers.location!);
    const callback = await browser.client.get(pathOf(back));
    expect(callback.headers.location).toBe('/en/opportunities');
  });

  it('says staff sign-in is not configured, and in development points to the demo accounts', async () => {
    for (const [path, lang] of [
      ['/en/staff-sign-in', 'en'],
      ['/fr/connexion-personnel', 'fr'],
    ] as const) {
      const res = await agent(w.unconfigured.app).client.get(path);
      expect(res.status).toBe(200);
      expectBilingual(
        res.text,
        lang,
        'Staff sign-in is not configured',
        'La connexion du personnel n’est pas configurée',
      );
      expect(res.text).toContain('sign in with the email address and password of a demo account');
      expect(res.text).toContain('compte de démonstration');
    }
    expect(w.unconfigured.missingKeys).toEqual([]);
  });
});

describe('what the provider must vouch for (M4)', () => {
  it('neither links nor creates an account on an address the provider does not say it verified', async () => {
    const pending = await w.insertUser('pending.s32@esdc.example.ca', 'staff', {
      email_confirmed_at: null,
    });
    idpAccounts.set('emp-9001', { email: 'pending.s32@esdc.example.ca', emailVerified: null });
    idpAccounts.set('emp-9002', { email: 'brand.new@esdc.example.ca', emailVerified: null });
    for (const [subject, lang] of [
      ['emp-9001', 'en'],
      ['emp-9002', 'fr'],
    ] as const) {
      const { browser, callback } = await w.staffSignIn(subject, lang);
      expect(callback.status).toBe(403);
      expectBilingual(
        callback.text,
        lang,
        'Your department account did not give a verified email address',
        'Le compte de votre ministère n’a pas fourni d’adresse courriel vérifiée',
      );
      await expectSignedOut(browser, lang);
    }
    expect((await w.database.db('users').where({ id: pending }).first()).oidc_subject).toBeNull();
    expect(await w.database.db('users').where({ email: 'brand.new@esdc.example.ca' })).toEqual([]);
  });

  it('reads the claim OIDC_VERIFIED_CLAIM names instead, such as Entra ID’s xms_edov', async () => {
    const entra = await createTestApp(w.database.db, {
      env: {
        PUBLIC_URL,
        OIDC_ISSUER_URL: w.t.deps.config.OIDC_ISSUER_URL,
        OIDC_CLIENT_ID: OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        OIDC_VERIFIED_CLAIM: 'xms_edov',
      },
    });
    idpAccounts.set('emp-9003', { email: 'only.email.verified@esdc.example.ca' });
    const refused = await w.staffSignIn('emp-9003', 'en', entra);
    expect(refused.callback.status).toBe(403);
    idpAccounts.set('emp-9004', { email: 'domain.owner@esdc.example.ca', xmsEdov: true });
    const admitted = await w.staffSignIn('emp-9004', 'en', entra);
    expect(admitted.callback.status).toBe(303);
    expect(await w.database.db('users').where({ oidc_subject: 'emp-9003' })).toEqual([]);
  });
});

describe('financial staff and passwords (M5)', () => {
  const PASSWORD = 'a staff member’s passphrase';
  const signIn = (app: typeof w.t, email: string, lang: 'en' | 'fr' = 'en') =>
    agent(app.app).post(lang === 'en' ? '/en/sign-in' : '/fr/connexion', {
      email,
      password: PASSWORD,
    });

  it('refuses a password to a finance officer once the department’s sign-in is configured, and says where to go', async () => {
    const esdc = await insertDepartment(w.database.db);
    const person = (email: string, role: 'finance_officer' | 'client') =>
      insertPerson(w.database.db, {
        email,
        password: PASSWORD,
        confirmedAt: w.t.clock.now(),
        grants: [{ role, department: esdc }],
      });
    await person('money@esdc.example.ca', 'finance_officer');
    await person('asker@esdc.example.ca', 'client');
    for (const [lang, link, text] of [
      ['en', '/en/staff-sign-in', 'This account signs in with your department account'],
      ['fr', '/fr/connexion-personnel', 'Ce compte se connecte avec le compte de votre ministère'],
    ] as const) {
      const refused = await signIn(w.t, 'money@esdc.example.ca', lang);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain(text);
      const notice = parse(refused.text).querySelector('.notice a');
      expect(notice?.getAttribute('href')).toBe(link);
    }
    // A wrong password gets the usual answer: the refusal says nothing to a stranger.
    const guess = await agent(w.t.app).post('/en/sign-in', {
      email: 'money@esdc.example.ca',
      password: 'not the password at all',
    });
    expect(guess.status).toBe(400);
    expect(guess.text).not.toContain('department account, not with a password');
    expect((await signIn(w.t, 'asker@esdc.example.ca')).status).toBe(303);
    // Where no identity provider is configured, the password is the only way in.
    expect((await signIn(w.unconfigured, 'money@esdc.example.ca')).status).toBe(303);
  });

  it('the department’s sign-in replaces a staff password: the password stops working and its sessions end', async () => {
    const id = await insertPerson(w.database.db, {
      email: 'switching@esdc.example.ca',
      password: PASSWORD,
      confirmedAt: w.t.clock.now(),
    });
    const before = agent(w.t.app);
    await before.post('/en/sign-in', { email: 'switching@esdc.example.ca', password: PASSWORD });
    await before.client.get('/en/account').expect(200);
    idpAccounts.set('emp-9005', { email: 'switching@esdc.example.ca' });
    expect((await w.staffSignIn('emp-9005')).callback.status).toBe(303);
    await expectSignedOut(before);
    expect((await signIn(w.t, 'switching@esdc.example.ca')).status).toBe(400);
    expect(await w.database.db('users').where({ id }).first()).toMatchObject({
      oidc_subject: 'emp-9005',
      password_hash: null,
    });
  });
});
