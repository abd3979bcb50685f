import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node-html-parser';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { agent } from '../helpers/session.ts';

const PUBLIC_URL = 'http://localhost:3000';
const OIDC_CLIENT = { id: 'marketplace', secret: 'a client secret for the test provider' };
const GITHUB_CLIENT = { id: 'Iv1.testclient', secret: 'a GitHub client secret for tests' };

let database: TestDatabase;
let t: TestApp;
let unconfigured: TestApp;
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A browser's cookies for a site other than ours: name → value, every path. */
class CookieJar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Follows redirects on the provider's side until it sends the browser back to our site. */
async function followToSite(start: string, jar = new CookieJar()): Promise<URL> {
  let location = new URL(start);
  for (let hops = 0; !location.href.startsWith(PUBLIC_URL); hops++) {
    if (hops > 10) throw new Error(`too many redirects at ${location.href}`);
    const response = await fetch(location, {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    jar.store(response);
    const next = response.headers.get('location');
    if (!next) throw new Error(`${location.href} answered ${response.status} without a redirect`);
    location = new URL(next, location);
  }
  return location;
}

const pathOf = (url: URL) => url.pathname + url.search;

// ——— The department's identity provider: a real oidc-provider on loopback ———

interface IdpAccount {
  email?: string;
  emailVerified?: boolean;
  name?: string;
}
const idpAccounts = new Map<string, IdpAccount>();
/** Who signs in at the provider next (its login page is skipped: the test decides). */
let nextIdpLogin = '';

async function startIdentityProvider(): Promise<string> {
  // The issuer names the port, so the server listens before the provider exists.
  const server = createServer();
  const issuer = await listen(server);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [
          `${PUBLIC_URL}/en/staff-sign-in/callback`,
          `${PUBLIC_URL}/fr/connexion-personnel/retour`,
        ],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['test cookie signing key'] },
    jwks: {
      keys: [
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      ],
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    // A first-party client: the department's staff are never asked to consent.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const account = idpAccounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
        }),
      };
    },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    provider
      .interactionFinished(
        req,
        res,
        { login: { accountId: nextIdpLogin } },
        {
          mergeWithLastSubmission: false,
        },
      )
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  return issuer;
}

/** The whole round trip: our start page → the provider → our callback, in one browser. */
async function staffSignIn(subject: string, lang: 'en' | 'fr' = 'en', app = t) {
  nextIdpLogin = subject;
  const browser = agent(app.app);
  const start = await browser.client.get(
    lang === 'en' ? '/en/staff-sign-in' : '/fr/connexion-personnel',
  );
  expect(start.status).toBe(303);
  const back = await followToSite(start.headers.location!);
  const callback = await browser.client.get(pathOf(back));
  return { browser, sent: new URL(start.headers.location!), back, callback };
}

// ——— A fake GitHub on loopback, answering like the real OAuth endpoints and REST API ———

interface GithubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean; visibility: string | null }[];
}
/** Who approves the OAuth app on GitHub next. */
let nextGithubAccount: GithubAccount;
const githubCodes = new Map<string, { account: GithubAccount; redirectUri: string }>();
const githubTokens = new Map<string, GithubAccount>();

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function fakeGithub(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://github.test');
  if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (url.searchParams.get('client_id') !== GITHUB_CLIENT.id) return res.writeHead(404).end();
    const code = randomBytes(10).toString('hex');
    githubCodes.set(code, { account: nextGithubAccount, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return res.writeHead(302, { Location: back.href }).end();
  }
  if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
    const form = new URLSearchParams(await readBody(req));
    const grant = githubCodes.get(form.get('code') ?? '');
    githubCodes.delete(form.get('code') ?? '');
    const answer =
      form.get('client_id') !== GITHUB_CLIENT.id ||
      form.get('client_secret') !== GITHUB_CLIENT.secret
        ? { error: 'incorrect_client_credentials' }
        : !grant || grant.redirectUri !== form.get('redirect_uri')
          ? { error: 'bad_verification_code', error_description: 'The code is incorrect.' }
          : (() => {
              const token = `gho_${randomBytes(18).toString('hex')}`;
              githubTokens.set(token, grant.account);
              return { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' };
            })();
    // Like GitHub: JSON only when asked for, and errors with a 200.
    if (req.headers.accept?.includes('application/json')) return json(res, 200, answer);
    res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
    return res.end(new URLSearchParams(answer as Record<string, string>).toString());
  }
  const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const account = token ? githubTokens.get(token) : undefined;
  if (!account) {
    return json(res, 401, {
      message: 'Requires authentication',
      documentation_url: 'https://docs.github.com/rest',
    });
  }
  if (req.method === 'GET' && url.pathname === '/user') {
    const primary = account.emails.find((e) => e.primary && e.visibility === 'public');
    return json(res, 200, {
      login: account.login,
      id: account.id,
      node_id: `U_${account.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
      type: 'User',
      site_admin: false,
      name: account.name,
      email: primary?.email ?? null,
      created_at: '2020-01-01T00:00:00Z',
    });
  }
  if (req.method === 'GET' && url.pathname === '/user/emails') {
    return json(res, 200, account.emails);
  }
  json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

function githubAccount(
  id: number,
  email: string,
  options: { verified?: boolean; name?: string | null } = {},
): GithubAccount {
  return {
    id,
    login: `dev${id}`,
    name: options.name === undefined ? `Developer ${id}` : options.name,
    emails: [
      { email, primary: true, verified: options.verified ?? true, visibility: 'public' },
      {
        email: `${id}+dev${id}@users.noreply.github.com`,
        primary: false,
        verified: true,
        visibility: null,
      },
    ],
  };
}

async function githubSignIn(account: GithubAccount, lang: 'en' | 'fr' = 'en') {
  nextGithubAccount = account;
  const browser = agent(t.app);
  const start = await browser.client.get(
    lang === 'en' ? '/en/sign-in/github' : '/fr/connexion/github',
  );
  expect(start.status).toBe(303);
  const back = await followToSite(start.headers.location!);
  const callback = await browser.client.get(pathOf(back));
  return { browser, back, callback };
}

// ——— Helpers on our side ———

async function insertUser(email: string, kind: 'supplier' | 'staff', extra: object = {}) {
  const [row] = await database
    .db('users')
    .insert({ email, kind, email_confirmed_at: t.clock.now(), ...extra })
    .returning('id');
  if (kind === 'supplier') await database.db('supplier_profiles').insert({ user_id: row.id });
  return Number(row.id);
}

async function expectSignedOut(browser: ReturnType<typeof agent>, lang: 'en' | 'fr' = 'en') {
  const account = await browser.client.get(lang === 'en' ? '/en/account' : '/fr/compte');
  expect(account.status).toBe(303);
  expect(account.headers.location).toMatch(lang === 'en' ? /^\/en\/sign-in/ : /^\/fr\/connexion/);
}

/** A bilingual page: the page's language first (h1, <html lang>), the other one after. */
function expectBilingual(html: string, lang: 'en' | 'fr', en: string, fr: string) {
  const page = parse(html);
  expect(page.querySelector('html')?.getAttribute('lang')).toBe(lang);
  expect(page.querySelector('h1')?.text).toBe(lang === 'en' ? en : fr);
  expect(page.querySelector('h2')?.text).toBe(lang === 'en' ? fr : en);
  const sections = page.querySelectorAll('section').map((s) => s.getAttribute('lang'));
  expect(sections).toEqual(lang === 'en' ? ['en', 'fr'] : ['fr', 'en']);
}

beforeAll(async () => {
  const issuer = await startIdentityProvider();
  const github = await listen(createServer((req, res) => void fakeGithub(req, res)));
  database = await createTestDatabase();
  t = await createTestApp(database.db, {
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
  unconfigured = await createTestApp(database.db, { env: { NODE_ENV: 'development' } });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await database?.drop();
});

describe('staff sign-in with the department’s OpenID Connect provider', () => {
  it('sends the person to the provider with state, nonce and PKCE, then signs them in as a new staff account without roles', async () => {
    idpAccounts.set('emp-1001', { email: 'Jeanne.Roy@esdc.example.ca', name: 'Jeanne Roy' });
    const { browser, sent, back, callback } = await staffSignIn('emp-1001');
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
    expect(callback.headers.location).toBe('/en/account');
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('Jeanne.Roy@esdc.example.ca');
    expect(account.text).toContain('Public servant');
    const user = await database.db('users').where({ oidc_subject: 'emp-1001' }).first();
    expect(user).toMatchObject({ kind: 'staff', display_name: 'Jeanne Roy', password_hash: null });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(await database.db('role_grants').where({ user_id: user.id })).toEqual([]);
  });

  it('reuses the account on the next sign-in with the same subject, even after an email change', async () => {
    const before = await database.db('users').where({ oidc_subject: 'emp-1001' }).first();
    idpAccounts.set('emp-1001', { email: 'jeanne.roy@hrsdc.example.ca', name: 'Jeanne Roy' });
    const { browser, callback } = await staffSignIn('emp-1001');
    expect(callback.status).toBe(303);
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('Jeanne.Roy@esdc.example.ca');
    expect(await database.db('users').where({ oidc_subject: 'emp-1001' })).toHaveLength(1);
    expect((await database.db('users').where({ oidc_subject: 'emp-1001' }).first()).id).toBe(
      before.id,
    );
  });

  it('links an existing staff account by its email address (any case) and records the subject', async () => {
    const id = await insertUser('marc.gagnon@esdc.example.ca', 'staff');
    idpAccounts.set('emp-2002', { email: 'MARC.GAGNON@esdc.example.ca' });
    const { browser, callback } = await staffSignIn('emp-2002');
    expect(callback.status).toBe(303);
    expect((await database.db('users').where({ id }).first()).oidc_subject).toBe('emp-2002');
    const account = await browser.client.get('/en/account').expect(200);
    expect(account.text).toContain('marc.gagnon@esdc.example.ca');
  });

  it('works from the French pages, with the French callback', async () => {
    idpAccounts.set('emp-3003', { email: 'luc.bergeron@esdc.example.ca' });
    const { browser, back, callback } = await staffSignIn('emp-3003', 'fr');
    expect(back.pathname).toBe('/fr/connexion-personnel/retour');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/fr/compte');
    const account = await browser.client.get('/fr/compte').expect(200);
    expect(account.text).toContain('luc.bergeron@esdc.example.ca');
    expect(account.text).toContain('Fonctionnaire');
  });

  it('refuses a callback whose state does not match, and signs nobody in', async () => {
    idpAccounts.set('emp-4004', { email: 'mallory@esdc.example.ca' });
    nextIdpLogin = 'emp-4004';
    const browser = agent(t.app);
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
    expect(await database.db('users').where({ oidc_subject: 'emp-4004' })).toEqual([]);
    // The sign-in was used up: the right state cannot be replayed in the same session.
    back.searchParams.set('state', new URL(start.headers.location!).searchParams.get('state')!);
    expect((await browser.client.get(pathOf(back))).status).toBe(400);
    await expectSignedOut(browser);
  });

  it('refuses a callback that no sign-in started, in French on the French path', async () => {
    const browser = agent(t.app);
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
    await insertUser('ada@supplier.example.com', 'supplier');
    idpAccounts.set('emp-5005', { email: 'ada@supplier.example.com' });
    for (const lang of ['en', 'fr'] as const) {
      const { browser, callback } = await staffSignIn('emp-5005', lang);
      expect(callback.status).toBe(403);
      expectBilingual(
        callback.text,
        lang,
        'This address belongs to a supplier account',
        'Cette adresse appartient à un compte de fournisseur',
      );
      await expectSignedOut(browser, lang);
    }
    const supplier = await database
      .db('users')
      .where({ email: 'ada@supplier.example.com' })
      .first();
    expect(supplier).toMatchObject({ kind: 'supplier', oidc_subject: null });
  });

  it('refuses a closed staff account and an address the provider has not verified', async () => {
    await insertUser('gone@esdc.example.ca', 'staff', { closed_at: t.clock.now() });
    idpAccounts.set('emp-6006', { email: 'gone@esdc.example.ca' });
    const closed = await staffSignIn('emp-6006');
    expect(closed.callback.status).toBe(403);
    expect(closed.callback.text).toContain('This account is closed');
    await expectSignedOut(closed.browser);

    idpAccounts.set('emp-7007', { email: 'unchecked@esdc.example.ca', emailVerified: false });
    const unverified = await staffSignIn('emp-7007');
    expect(unverified.callback.status).toBe(403);
    expect(unverified.callback.text).toContain('did not give a verified email address');
    expect(await database.db('users').where({ oidc_subject: 'emp-7007' })).toEqual([]);
  });

  it('returns to the page that asked for sign-in', async () => {
    idpAccounts.set('emp-8008', { email: 'back@esdc.example.ca' });
    nextIdpLogin = 'emp-8008';
    const browser = agent(t.app);
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
      const res = await agent(unconfigured.app).client.get(path);
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
    expect(unconfigured.missingKeys).toEqual([]);
  });
});

describe('supplier sign-in with GitHub', () => {
  it('creates a confirmed supplier account from the verified primary email, then reuses it', async () => {
    const account = githubAccount(1001, 'Grace@dev.example.com', { name: 'Grace Hopper' });
    const first = await githubSignIn(account);
    expect(first.back.pathname).toBe('/en/sign-in/github/callback');
    expect(first.callback.status).toBe(303);
    expect(first.callback.headers.location).toBe('/en/account');
    const page = await first.browser.client.get('/en/account').expect(200);
    expect(page.text).toContain('Grace@dev.example.com');
    expect(page.text).toContain('Supplier');
    const user = await database.db('users').where({ github_id: '1001' }).first();
    expect(user).toMatchObject({
      kind: 'supplier',
      display_name: 'Grace Hopper',
      password_hash: null,
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(await database.db('supplier_profiles').where({ user_id: user.id })).toHaveLength(1);

    const second = await githubSignIn({ ...account, emails: [] });
    expect(second.callback.status).toBe(303);
    await second.browser.client.get('/en/account').expect(200);
    expect(await database.db('users').where({ github_id: '1001' })).toHaveLength(1);
  });

  it('links an existing supplier account when GitHub has verified its address', async () => {
    const id = await insertUser('etienne@supplier.example.com', 'supplier');
    const { browser, callback } = await githubSignIn(
      githubAccount(2002, 'Etienne@Supplier.example.com'),
    );
    expect(callback.status).toBe(303);
    expect((await database.db('users').where({ id }).first()).github_id).toBe('2002');
    expect((await browser.client.get('/en/account').expect(200)).text).toContain(
      'etienne@supplier.example.com',
    );
  });

  it('does not link an existing account to an address GitHub has not verified', async () => {
    const id = await insertUser('claimed@supplier.example.com', 'supplier');
    const { browser, callback } = await githubSignIn(
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
    expect((await database.db('users').where({ id }).first()).github_id).toBeNull();
    expect(await database.db('users').where({ github_id: '3003' })).toEqual([]);
  });

  it('refuses a public servant’s address, in the page’s language', async () => {
    await insertUser('priya.singh@esdc.example.ca', 'staff');
    for (const lang of ['en', 'fr'] as const) {
      const { browser, callback } = await githubSignIn(
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
    expect(await database.db('users').where({ github_id: '4004' })).toEqual([]);
  });

  it('works from the French pages, with the French callback', async () => {
    const { browser, back, callback } = await githubSignIn(
      githubAccount(5005, 'mathilde@dev.example.com', { name: null }),
      'fr',
    );
    expect(back.pathname).toBe('/fr/connexion/github/retour');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/fr/compte');
    expect((await browser.client.get('/fr/compte').expect(200)).text).toContain(
      'mathilde@dev.example.com',
    );
    const user = await database.db('users').where({ github_id: '5005' }).first();
    expect(user).toMatchObject({ display_name: 'dev5005', preferred_language: 'fr' });
  });

  it('refuses a wrong state without asking GitHub for a token, and a code GitHub refuses', async () => {
    nextGithubAccount = githubAccount(6006, 'state@dev.example.com');
    const browser = agent(t.app);
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
    expect(await database.db('users').where({ github_id: '6006' })).toEqual([]);
  });

  it('says GitHub sign-in is not available when it is not configured', async () => {
    const res = await agent(unconfigured.app).client.get('/fr/connexion/github');
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
      const page = parse((await agent(unconfigured.app).client.get(path).expect(200)).text);
      const link = page.querySelectorAll('a').find((a) => a.text === text);
      expect(link?.getAttribute('href')).toBe(href);
    }
  });

  it('shows the GitHub button only when GitHub sign-in is configured, keeping where to return', async () => {
    const configured = parse(
      (await agent(t.app).client.get('/en/sign-in?next=%2Fen%2Fopportunities').expect(200)).text,
    );
    const button = configured.querySelectorAll('a').find((a) => a.text === 'Sign in with GitHub');
    expect(button?.getAttribute('href')).toBe('/en/sign-in/github?next=%2Fen%2Fopportunities');
    const french = (await agent(t.app).client.get('/fr/connexion').expect(200)).text;
    expect(french).toContain('Se connecter avec GitHub');
    const plain = (await agent(unconfigured.app).client.get('/en/sign-in').expect(200)).text;
    expect(plain).not.toContain('Sign in with GitHub');
    expect(t.missingKeys).toEqual([]);
  });
});
