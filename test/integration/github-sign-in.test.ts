import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { approvesNext, githubAccount, githubCodes } from '../helpers/fake-github.ts';
import { followToSite, pathOf } from '../helpers/identity-provider.ts';
import { expectBilingual, expectSignedOut, federatedWorld } from '../helpers/federated-world.ts';
import { agent } from '../helpers/session.ts';

/** Suppliers sign in with GitHub; the sign-in page offers each way in where it is configured. */
const w = federatedWorld();

describe('supplier sign-in with GitHub', () => {
  it('creates a confirmed supplier account from the verified primary email, then reuses it', async () => {
    const account = githubAccount(1001, 'Grace@dev.example.com', { name: 'Grace Hopper' });
    const first = await w.githubSignIn(account);
    expect(first.back.pathname).toBe('/en/sign-in/github/callback');
    expect(first.callback.status).toBe(303);
    expect(first.callback.headers.location).toBe('/en/work-queues');
    const page = await first.browser.client.get('/en/account').expect(200);
    expect(page.text).toContain('Grace@dev.example.com');
    expect(page.text).toContain('Supplier');
    const user = await w.database.db('users').where({ github_id: '1001' }).first();
    expect(user).toMatchObject({
      kind: 'supplier',
      display_name: 'Grace Hopper',
      password_hash: null,
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(await w.database.db('supplier_profiles').where({ user_id: user.id })).toHaveLength(1);

    const second = await w.githubSignIn({ ...account, emails: [] });
    expect(second.callback.status).toBe(303);
    await second.browser.client.get('/en/account').expect(200);
    expect(await w.database.db('users').where({ github_id: '1001' })).toHaveLength(1);
  });

  it('links an existing supplier account when GitHub has verified its address', async () => {
    const id = await w.insertUser('etienne@supplier.example.com', 'supplier');
    const { browser, callback } = await w.githubSignIn(
      githubAccount(2002, 'Etienne@Supplier.example.com'),
    );
    expect(callback.status).toBe(303);
    expect((await w.database.db('users').where({ id }).first()).github_id).toBe('2002');
    expect((await browser.client.get('/en/account').expect(200)).text).toContain(
      'etienne@supplier.example.com',
    );
  });

  it('does not link an existing account to an address GitHub has not verified', async () => {
    const id = await w.insertUser('claimed@supplier.example.com', 'supplier');
    const { browser, callback } = await w.githubSignIn(
      githubAccount(3003, 'claimed@supplier.example.com', { verified: false }),
    );
    expect(callback.status).toBe(403);
    expectBilingual(
      callback.text,
      'en',
      'Your GitHub account has no verified primary email address',
      'Votre compte GitHub n’a pas d’adresse courriel principale vérifiée',
    );
    await expectSignedOut(browser);
    expect((await w.database.db('users').where({ id }).first()).github_id).toBeNull();
    expect(await w.database.db('users').where({ github_id: '3003' })).toEqual([]);
  });

  it('refuses a public servant’s address, in the page’s language', async () => {
    await w.insertUser('priya.singh@esdc.example.ca', 'staff');
    for (const lang of ['en', 'fr'] as const) {
      const { browser, callback } = await w.githubSignIn(
        githubAccount(4004, 'priya.singh@esdc.example.ca'),
        lang,
      );
      expect(callback.status).toBe(403);
      expectBilingual(
        callback.text,
        lang,
        'Public servants cannot sign in with GitHub',
        'Les fonctionnaires ne peuvent pas se connecter avec GitHub',
      );
      await expectSignedOut(browser, lang);
    }
    expect(await w.database.db('users').where({ github_id: '4004' })).toEqual([]);
  });

  it('works from the French pages, with the French callback', async () => {
    const { browser, back, callback } = await w.githubSignIn(
      githubAccount(5005, 'mathilde@dev.example.com', { name: null }),
      'fr',
    );
    expect(back.pathname).toBe('/fr/connexion/github/retour');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/fr/a-traiter');
    expect((await browser.client.get('/fr/compte').expect(200)).text).toContain(
      'mathilde@dev.example.com',
    );
    const user = await w.database.db('users').where({ github_id: '5005' }).first();
    expect(user).toMatchObject({ display_name: 'dev5005', preferred_language: 'fr' });
  });

  it('refuses a wrong state without asking GitHub for a token, and a code GitHub refuses', async () => {
    approvesNext(githubAccount(6006, 'state@dev.example.com'));
    const browser = agent(w.t.app);
    const start = await browser.client.get('/en/sign-in/github');
    const back = await followToSite(start.headers.location!);
    const code = back.searchParams.get('code')!;
    back.searchParams.set('state', 'forged');
    const forged = await browser.client.get(pathOf(back));
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('Sign-in with GitHub did not work');
    expect(githubCodes.has(code)).toBe(true);
    await expectSignedOut(browser);

    const again = await browser.client.get('/en/sign-in/github');
    const state = new URL(again.headers.location!).searchParams.get('state')!;
    const wrongCode = await browser.client.get(
      `/en/sign-in/github/callback?code=not-a-code&state=${state}`,
    );
    expect(wrongCode.status).toBe(400);
    await expectSignedOut(browser);
    expect(await w.database.db('users').where({ github_id: '6006' })).toEqual([]);
  });

  it('says GitHub sign-in is not available when it is not configured', async () => {
    const res = await agent(w.unconfigured.app).client.get('/fr/connexion/github');
    expect(res.status).toBe(200);
    expectBilingual(
      res.text,
      'fr',
      'Sign-in with GitHub is not available',
      'La connexion avec GitHub n’est pas offerte',
    );
  });
});

describe('the sign-in page', () => {
  it('links public servants to their department account in both languages', async () => {
    for (const [path, text, href] of [
      ['/en/sign-in', 'Public servants: sign in with your department account', '/en/staff-sign-in'],
      [
        '/fr/connexion',
        'Fonctionnaires\u00a0: connectez-vous avec le compte de votre ministère',
        '/fr/connexion-personnel',
      ],
    ] as const) {
      const page = parse((await agent(w.unconfigured.app).client.get(path).expect(200)).text);
      const link = page.querySelectorAll('a').find((a) => a.text === text);
      expect(link?.getAttribute('href')).toBe(href);
    }
  });

  it('shows the GitHub button only when GitHub sign-in is configured, keeping where to return', async () => {
    const configured = parse(
      (await agent(w.t.app).client.get('/en/sign-in?next=%2Fen%2Fopportunities').expect(200)).text,
    );
    const button = configured.querySelectorAll('a').find((a) => a.text === 'Sign in with GitHub');
    expect(button?.getAttribute('href')).toBe('/en/sign-in/github?next=%2Fen%2Fopportunities');
    const french = (await agent(w.t.app).client.get('/fr/connexion').expect(200)).text;
    expect(french).toContain('Se connecter avec GitHub');
    const plain = (await agent(w.unconfigured.app).client.get('/en/sign-in').expect(200)).text;
    expect(plain).not.toContain('Sign in with GitHub');
    expect(w.t.missingKeys).toEqual([]);
  });

  it('bounds the round trips one address may start: each stores a session (M9)', async () => {
    const sessions = async () => Number((await w.database.db('sessions').count({ n: '*' }))[0]!.n);
    let started = 0;
    let answer = 303;
    while (answer === 303 && started <= 100) {
      answer = (await agent(w.t.app).client.get('/en/sign-in/github')).status;
      if (answer === 303) started += 1;
    }
    expect(answer).toBe(429);
    const before = await sessions();
    await agent(w.t.app).client.get('/fr/connexion/github').expect(429);
    expect(await sessions()).toBe(before);
    w.t.clock.set(new Date(w.t.clock.now().getTime() + 15 * 60 * 1000 + 1));
    await agent(w.t.app).client.get('/en/sign-in/github').expect(303);
  });
});
