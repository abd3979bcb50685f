import { createServer } from 'node:http';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { approvesNext, fakeGithub, GITHUB_CLIENT, type GithubAccount } from './fake-github.ts';
import {
  closeServers,
  followToSite,
  listen,
  OIDC_CLIENT,
  pathOf,
  PUBLIC_URL,
  signsInNext,
  startIdentityProvider,
} from './identity-provider.ts';
import { agent } from './session.ts';

/**
 * The app as federated sign-in tests need it: one configured with the identity provider and the
 * fake GitHub, one with neither (in development), over one database per test file.
 */
export function federatedWorld() {
  const w = {
    // Set before the tests run (beforeAll below).
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    unconfigured: undefined as unknown as TestApp,

    /** The whole round trip: our start page → the provider → our callback, in one browser. */
    async staffSignIn(subject: string, lang: 'en' | 'fr' = 'en', app?: TestApp) {
      signsInNext(subject);
      const browser = agent((app ?? w.t).app);
      const start = await browser.client.get(
        lang === 'en' ? '/en/staff-sign-in' : '/fr/connexion-personnel',
      );
      expect(start.status).toBe(303);
      const back = await followToSite(start.headers.location!);
      const callback = await browser.client.get(pathOf(back));
      return { browser, sent: new URL(start.headers.location!), back, callback };
    },

    async githubSignIn(account: GithubAccount, lang: 'en' | 'fr' = 'en') {
      approvesNext(account);
      const browser = agent(w.t.app);
      const start = await browser.client.get(
        lang === 'en' ? '/en/sign-in/github' : '/fr/connexion/github',
      );
      expect(start.status).toBe(303);
      const back = await followToSite(start.headers.location!);
      const callback = await browser.client.get(pathOf(back));
      return { browser, back, callback };
    },

    async insertUser(email: string, kind: 'supplier' | 'staff', extra: object = {}) {
      const [row] = await w.database
        .db('users')
        .insert({ email, kind, email_confirmed_at: w.t.clock.now(), ...extra })
        .returning('id');
      if (kind === 'supplier') await w.database.db('supplier_profiles').insert({ user_id: row.id });
      return Number(row.id);
    },
  };

  beforeAll(async () => {
    const issuer = await startIdentityProvider();
    const github = await listen(createServer((req, res) => void fakeGithub(req, res)));
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db, {
      env: {
        PUBLIC_URL,
        OIDC_ISSUER_URL: issuer,
        OIDC_CLIENT_ID: OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        GITHUB_CLIENT_ID: GITHUB_CLIENT.id,
        GITHUB_CLIENT_SECRET: GITHUB_CLIENT.secret,
        GITHUB_BASE_URL: github,
        GITHUB_API_URL: github,
      },
    });
    w.unconfigured = await createTestApp(w.database.db, { env: { NODE_ENV: 'development' } });
  });

  afterAll(async () => {
    await closeServers();
    await w.database?.drop();
  });

  return w;
}

export async function expectSignedOut(browser: ReturnType<typeof agent>, lang: 'en' | 'fr' = 'en') {
  const account = await browser.client.get(lang === 'en' ? '/en/account' : '/fr/compte');
  expect(account.status).toBe(303);
  expect(account.headers.location).toMatch(lang === 'en' ? /^\/en\/sign-in/ : /^\/fr\/connexion/);
}

/** A bilingual page: the page's language first (h1, <html lang>), the other one after. */
export function expectBilingual(html: string, lang: 'en' | 'fr', en: string, fr: string) {
  const page = parse(html);
  expect(page.querySelector('html')?.getAttribute('lang')).toBe(lang);
  expect(page.querySelector('h1')?.text).toBe(lang === 'en' ? en : fr);
  expect(page.querySelector('h2')?.text).toBe(lang === 'en' ? fr : en);
  const sections = page.querySelectorAll('section').map((s) => s.getAttribute('lang'));
  expect(sections).toEqual(lang === 'en' ? ['en', 'fr'] : ['fr', 'en']);
}
