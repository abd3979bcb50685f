import { parse } from 'node-html-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { approvesNext, githubAccount } from '../helpers/fake-github.ts';
import { expectBilingual, expectSignedOut, federatedWorld } from '../helpers/federated-world.ts';
import { followToSite, pathOf } from '../helpers/identity-provider.ts';
import { agent } from '../helpers/session.ts';

/**
 * GitHub's proof of an address never opens an account someone may already hold with a password
 * (H1): the person signs in with the password and links GitHub from their account page. And a
 * GitHub code is worth nothing outside the browser that asked for it (PKCE, I2).
 */
const w = federatedWorld();
const ATTACKER_PASSWORD = 'the attacker chose this one';
const OWNER_PASSWORD = 'the owner knows this one';

async function signUp(email: string, password: string) {
  const res = await agent(w.t.app).post('/en/create-account', {
    email,
    password,
    passwordConfirmation: password,
    language: 'en',
    privacy: 'yes',
  });
  expect(res.status).toBe(303);
}

async function confirmationLink(to: string): Promise<string> {
  const row = await w.database.db('outbox').where({ recipient: to }).orderBy('id', 'desc').first();
  const match = /http[^"]*\/en\/confirm-email\/[\w-]+/.exec(JSON.stringify(row.data));
  return new URL(match![0]).pathname;
}

const signIn = (email: string, password: string) =>
  agent(w.t.app).post('/en/sign-in', { email, password });

async function supplierWithPassword(email: string): Promise<number> {
  return w.insertUser(email, 'supplier', { password_hash: await hashPassword(OWNER_PASSWORD) });
}

describe('GitHub and an account that already exists (H1)', () => {
  it('a password typed at a sign-up nobody confirmed stops working once GitHub proves the address', async () => {
    await signUp('victim@company.example', ATTACKER_PASSWORD);
    // A mail scanner opens the link in the victim's mailbox, with no session of its own.
    await request(w.t.app).get(await confirmationLink('victim@company.example'));
    const { browser, callback } = await w.githubSignIn(
      githubAccount(7001, 'victim@company.example'),
    );
    expect(callback.status).toBe(303);
    expect((await browser.client.get('/en/account').expect(200)).text).toContain(
      'victim@company.example',
    );
    expect((await signIn('victim@company.example', ATTACKER_PASSWORD)).status).toBe(400);
    const user = await w.database.db('users').where({ github_id: '7001' }).first();
    expect(user).toMatchObject({ email: 'victim@company.example', password_hash: null });
    expect(user.email_confirmed_at).toBeTruthy();
  });

  it('does not enter a confirmed account that has a password: sign in with it first, then link GitHub from the account page', async () => {
    const id = await supplierWithPassword('owner@supplier.example.com');
    for (const lang of ['en', 'fr'] as const) {
      const { browser, callback } = await w.githubSignIn(
        githubAccount(7002, 'Owner@supplier.example.com'),
        lang,
      );
      expect(callback.status).toBe(403);
      expectBilingual(
        callback.text,
        lang,
        'This email address already has an account',
        'Cette adresse courriel a déjà un compte',
      );
      await expectSignedOut(browser, lang);
    }
    expect((await w.database.db('users').where({ id }).first()).github_id).toBeNull();

    const owner = agent(w.t.app);
    await owner.post('/en/sign-in', {
      email: 'owner@supplier.example.com',
      password: OWNER_PASSWORD,
    });
    const form = parse((await owner.client.get('/en/account').expect(200)).text).querySelector(
      'form[action="/en/account/link-github"]',
    );
    expect(form?.querySelector('button')?.text).toBe('Link my GitHub account');
    // The GitHub account's address need not be the account's: both are proven.
    approvesNext(githubAccount(7002, 'someone.else@dev.example.com'));
    const start = await owner.post('/en/account/link-github', {}, '/en/account');
    expect(start.status).toBe(303);
    const back = await followToSite(start.headers.location!);
    const linked = await owner.client.get(pathOf(back));
    expect(linked.status).toBe(303);
    expect(linked.headers.location).toBe('/en/account?linked=github');
    const page = await owner.client.get(linked.headers.location!).expect(200);
    expect(page.text).toContain('Your GitHub account is linked');
    expect(page.text).not.toContain('Link my GitHub account');
    expect((await w.database.db('users').where({ id }).first()).github_id).toBe('7002');

    // From now on GitHub alone opens the account, and the password still does.
    const again = await w.githubSignIn(githubAccount(7002, 'someone.else@dev.example.com'));
    expect(again.callback.status).toBe(303);
    expect((await again.browser.client.get('/en/account').expect(200)).text).toContain(
      'owner@supplier.example.com',
    );
    expect((await signIn('owner@supplier.example.com', OWNER_PASSWORD)).status).toBe(303);
  });

  it('refuses to link a GitHub account another supplier signs in with, in French', async () => {
    await w.insertUser('taken@dev.example.com', 'supplier', { github_id: '7003' });
    await supplierWithPassword('second@supplier.example.com');
    const owner = agent(w.t.app);
    await owner.post('/fr/connexion', {
      email: 'second@supplier.example.com',
      password: OWNER_PASSWORD,
    });
    approvesNext(githubAccount(7003, 'taken@dev.example.com'));
    const start = await owner.post('/fr/compte/lier-github', {}, '/fr/compte');
    const refused = await owner.client.get(pathOf(await followToSite(start.headers.location!)));
    expect(refused.status).toBe(409);
    expectBilingual(
      refused.text,
      'fr',
      'This GitHub account is linked to another account',
      'Ce compte GitHub est lié à un autre compte',
    );
    expect(parse(refused.text).querySelector('section a')?.getAttribute('href')).toBe('/fr/compte');
    const second = await w.database
      .db('users')
      .where({ email: 'second@supplier.example.com' })
      .first();
    expect(second.github_id).toBeNull();
    expect(w.t.missingKeys).toEqual([]);
  });
});

describe('GitHub sign-in with PKCE (I2)', () => {
  it('sends an S256 challenge, and a code handed out to another browser is refused', async () => {
    approvesNext(githubAccount(7004, 'pkce@dev.example.com'));
    const victim = agent(w.t.app);
    const sent = new URL((await victim.client.get('/en/sign-in/github')).headers.location!);
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'read:user user:email',
    });
    const code = (await followToSite(sent.href)).searchParams.get('code')!;

    // The code leaks (a log, a referrer); the thief's browser has a state of its own.
    const thief = agent(w.t.app);
    const own = new URL((await thief.client.get('/en/sign-in/github')).headers.location!);
    const stolen = await thief.client.get(
      `/en/sign-in/github/callback?code=${code}&state=${own.searchParams.get('state')}`,
    );
    expect(stolen.status).toBe(400);
    await expectSignedOut(thief);
    expect(await w.database.db('users').where({ github_id: '7004' })).toEqual([]);
  });
});
