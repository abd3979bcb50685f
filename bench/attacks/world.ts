import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import Provider from 'oidc-provider';
import pg from 'pg';
import { freePort } from '../../src/db/embedded.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import {
  approvesNext,
  fakeGithub,
  GITHUB_CLIENT,
  githubAccount,
} from '../../test/helpers/fake-github.ts';
import { startTestMailbox, type TestMailbox } from '../../test/helpers/smtp.ts';
import { stop, tempDir, waitFor200 } from '../support.ts';
import { Browser, followElsewhere, type Reply } from './browser.ts';

export const DEMO_PASSWORD = 'correct-horse-battery';
const OIDC_CLIENT = { id: 'marketplace', secret: 'a client secret for the attack run' };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Someone at the department's identity provider: `emailVerified: undefined` sends no claim. */
interface IdpPerson {
  email: string;
  emailVerified: boolean | undefined;
}

/** The department's identity provider, a real oidc-provider, whose login the attack decides. */
async function startIdentityProvider(site: string) {
  const people = new Map<string, IdpPerson>();
  let next = '';
  const server = createServer();
  const issuer = await listen(server);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [
          `${site}/en/staff-sign-in/callback`,
          `${site}/fr/connexion-personnel/retour`,
        ],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['attack run cookie key'] },
    jwks: {
      keys: [
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
      ],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
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
      const person = people.get(sub);
      if (!person) return undefined;
      const verified =
        person.emailVerified === undefined ? {} : { email_verified: person.emailVerified };
      return { accountId: sub, claims: () => ({ sub, email: person.email, ...verified }) };
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    provider
      .interactionFinished(
        req,
        res,
        { login: { accountId: next } },
        { mergeWithLastSubmission: false },
      )
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  return {
    issuer,
    server,
    signsInNext(subject: string, person: IdpPerson) {
      people.set(subject, person);
      next = subject;
    },
  };
}

/**
 * Everything outside the app that an attack uses: the app itself as `npm start` runs it (tsx,
 * embedded PostgreSQL in a new data folder, development mode, so the demo accounts exist), a
 * mailbox every address's email reaches, a fake GitHub and the department's identity provider.
 */
export async function startWorld() {
  const port = await freePort();
  const site = new URL(`http://127.0.0.1:${port}`);
  const mailbox: TestMailbox = await startTestMailbox();
  const github = createServer((req, res) => void fakeGithub(req, res));
  const githubUrl = await listen(github);
  const idp = await startIdentityProvider(site.origin);
  const dataDir = await tempDir('marketplace-attacks-');
  const logs: string[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const child: ChildProcess = spawn(fromRoot('node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: fromRoot('.'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_URL: site.origin,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      HOST: '',
      TRUST_PROXY: '',
      LOG_LEVEL: 'info',
      DEMO_SEED: 'on',
      DEMO_PASSWORD,
      SMTP_URL: mailbox.url,
      GITHUB_CLIENT_ID: GITHUB_CLIENT.id,
      GITHUB_CLIENT_SECRET: GITHUB_CLIENT.secret,
      GITHUB_BASE_URL: githubUrl,
      GITHUB_API_URL: githubUrl,
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const collect = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      into.push(...lines);
    };
  };
  child.stdout?.on('data', collect(logs));
  child.stderr?.on('data', collect(errors));
  try {
    await waitFor200(`${site.origin}/healthz`, started, 90_000);
  } catch (error) {
    process.stderr.write(`${errors.join('\n')}\n${logs.slice(-20).join('\n')}\n`);
    throw error;
  }
  const startupMs = performance.now() - started;

  return new World({
    site,
    port,
    dataDir,
    logs,
    mailbox,
    startupMs,
    githubUrl,
    idp,
    close: async () => {
      await stop(child, 'SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
      await mailbox.close();
      for (const server of [github, idp.server]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  });
}

type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>;

export class World {
  readonly site: URL;
  readonly port: number;
  readonly logs: string[];
  readonly mailbox: TestMailbox;
  readonly startupMs: number;
  /** Secrets the attacks saw (tokens, codes): none may reach the request log (M2). */
  readonly secrets = new Set<string>();
  private nextAddress = 10;

  constructor(
    private readonly outside: {
      site: URL;
      port: number;
      dataDir: string;
      logs: string[];
      mailbox: TestMailbox;
      startupMs: number;
      githubUrl: string;
      idp: IdentityProvider;
      close(): Promise<void>;
    },
  ) {
    this.site = outside.site;
    this.port = outside.port;
    this.logs = outside.logs;
    this.mailbox = outside.mailbox;
    this.startupMs = outside.startupMs;
  }

  /** A new browser, from its own loopback address. */
  browser(): Browser {
    this.nextAddress += 1;
    const n = this.nextAddress;
    return new Browser(this.site, `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`);
  }

  async isSignedIn(browser: Browser): Promise<boolean> {
    return (await browser.get('/en/account')).status === 200;
  }

  /** Signs in with a password; answers the browser and the sign-in's reply. */
  async passwordSignIn(email: string, password = DEMO_PASSWORD) {
    const browser = this.browser();
    const reply = await browser.post('/en/sign-in', { email, password });
    return { browser, reply, signedIn: await this.isSignedIn(browser) };
  }

  /** A staff sign-in through the department's identity provider. */
  async staffSignIn(subject: string, person: IdpPerson) {
    const { idp } = this.outside;
    idp.signsInNext(subject, person);
    const browser = this.browser();
    const start = await browser.get('/en/staff-sign-in');
    if (!start.location?.startsWith(idp.issuer)) {
      return { browser, callback: start, signedIn: false };
    }
    const back = await followElsewhere(start.location, this.site);
    const callback = await browser.get(back.pathname + back.search);
    return { browser, callback, signedIn: await this.isSignedIn(browser) };
  }

  /** A staff member as the review's insider: through the provider, else with the password. */
  async staff(email: string): Promise<Browser> {
    const federated = await this.staffSignIn(`sub-${email}`, { email, emailVerified: true });
    if (federated.signedIn) return federated.browser;
    const { browser, signedIn } = await this.passwordSignIn(email);
    if (!signedIn) throw new Error(`${email} could not sign in`);
    return browser;
  }

  /** A GitHub sign-in of someone whose verified primary address is `email`. */
  async githubSignIn(id: number, email: string, browser = this.browser()) {
    approvesNext(githubAccount(id, email));
    const start = await browser.get('/en/sign-in/github');
    if (!start.location?.startsWith(this.outside.githubUrl)) {
      return { browser, callback: start, signedIn: false };
    }
    const back = await followElsewhere(start.location, this.site);
    const code = back.searchParams.get('code');
    if (code) this.secrets.add(code);
    const callback: Reply = await browser.get(back.pathname + back.search);
    return { browser, callback, signedIn: await this.isSignedIn(browser) };
  }

  /** The next email to `address` after the first `since` messages, within a few seconds. */
  async emailTo(
    address: string,
    since: number,
    timeoutMs = 8_000,
  ): Promise<ParsedMail | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.mailbox.messages.slice(since).find((m) => recipients(m).includes(address));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  /** A link of our site in an email, its token remembered as a secret. */
  linkIn(mail: ParsedMail | undefined, pathStart: string): string | undefined {
    const found = (mail?.text ?? '').match(new RegExp(`${this.site.origin}${pathStart}\\S*`));
    if (!found) return undefined;
    const link = new URL(found[0]);
    const token = link.pathname.split('/').pop();
    if (token && token.length >= 32) this.secrets.add(token);
    return link.pathname + link.search;
  }

  /** The review's own way into a state no request reaches (L6), and a count (M9): the database. */
  async database<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
    const pidFile = path.join(this.outside.dataDir, 'postgres', 'postmaster.pid');
    const port = readFileSync(pidFile, 'utf8').split('\n')[3];
    const client = new pg.Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/marketplace`,
    });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  close(): Promise<void> {
    return this.outside.close();
  }
}

export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((t) => t.value.map((v) => v.address?.toLowerCase() ?? ''));
}
