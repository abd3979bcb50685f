import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { freePort } from '../../src/db/embedded.ts';
import { fromRoot } from '../../src/platform/paths.ts';
import { stop, tempDir } from '../support.ts';
import type { Attack } from './attack.ts';
import { Browser, errorsOf, headingOf } from './browser.ts';
import { DEMO_PASSWORD, recipients } from './world.ts';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${Math.round(value)} ms`;
const sequence = (count: number) => Array.from({ length: count }, (_, i) => i);

const preRegistration: Attack = {
  id: 'H1',
  title: 'pre-registered address taken over through GitHub',
  async run(w) {
    const victim = 'victim@company.example';
    const password = 'the attacker chose this';
    const since = w.mailbox.messages.length;
    const signUp = await w.browser().post('/en/create-account', {
      email: victim,
      password,
      passwordConfirmation: password,
      language: 'en',
      privacy: 'yes',
    });
    const link = w.linkIn(await w.emailTo(victim, since), '/en/confirm-email/');
    // The victim's mail gateway opens the link, with no session and no button pressed.
    const scanned = link ? await w.browser().get(link) : undefined;
    const github = await w.githubSignIn(4242, victim);
    const attacker = await w.passwordSignIn(victim, password);
    return {
      open: attacker.signedIn,
      evidence: `sign-up ${signUp.status}, link read by a scanner ${scanned?.status}, victim's GitHub sign-in ${github.signedIn ? 'signed in' : `refused (${github.callback.status})`}, attacker's password ${attacker.signedIn ? 'SIGNS IN' : 'refused'}`,
    };
  },
};

const secretsInLog: Attack = {
  id: 'M2',
  title: 'tokens and OAuth codes in the request log',
  async run(w) {
    const log = w.logs.join('\n');
    const found = [...w.secrets].filter((secret) => log.includes(secret));
    const codes = log.match(/[?&]code=[^&"\s]+/g) ?? [];
    return {
      open: found.length > 0 || codes.length > 0,
      evidence: `${w.secrets.size} tokens and codes seen by the attacks, ${found.length} of them in ${w.logs.length} log lines; ${codes.length} code= values logged`,
    };
  },
};

const forwardedFor: Attack = {
  id: 'M3',
  title: 'rate limit escaped with a forged X-Forwarded-For',
  async run(w) {
    const browser = w.browser();
    const statuses: number[] = [];
    for (const i of sequence(12)) {
      const reply = await browser.post('/en/forgot-password', { email: `nobody-${i}@example.org` });
      statuses.push(reply.status);
      if (reply.status === 429) break;
    }
    const forged: number[] = [];
    for (const i of sequence(3)) {
      const reply = await browser.post(
        '/en/forgot-password',
        { email: `forged-${i}@example.org` },
        { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` } },
      );
      forged.push(reply.status);
    }
    return {
      open: !statuses.includes(429) || forged.some((s) => s !== 429),
      evidence: `${statuses.length} POSTs: ${statuses.join(' ')}; then with X-Forwarded-For: ${forged.join(' ')}`,
    };
  },
};

const unverifiedEmail: Attack = {
  id: 'M4',
  title: 'identity provider without email_verified links a staff account',
  async run(w) {
    const guest = await w.staffSignIn('guest-with-a-copied-mail-attribute', {
      email: 'finance@esdc.example.ca',
      emailVerified: undefined,
    });
    return {
      open: guest.signedIn,
      evidence: `callback ${guest.callback.status}${headingOf(guest.callback)} ${guest.callback.location ?? ''}; ${guest.signedIn ? 'SIGNED IN as the finance officer' : 'not signed in'}`,
    };
  },
};

const passwordOnlyStaff: Attack = {
  id: 'M5',
  title: 'section 32 manager signs in with a password, around the identity provider',
  async run(w) {
    const { reply, signedIn } = await w.passwordSignIn('s32@esdc.example.ca');
    return {
      open: signedIn,
      evidence: `password sign-in ${reply.status}${errorsOf(reply)} ${reply.location ?? ''}; ${signedIn ? 'SIGNED IN' : 'refused'}`,
    };
  },
};

const payoutChange: Attack = {
  id: 'M7',
  title: 'hijacked supplier session changes the PayPal payout address',
  async run(w) {
    const { browser } = await w.passwordSignIn('ada@supplier.example.com');
    const since = w.mailbox.messages.length;
    const reply = await browser.post('/en/account/profile', {
      legalName: 'Ada Nakamura',
      supplierType: 'individual',
      businessName: '',
      gstHstNumber: '',
      province: 'ON',
      language: 'en',
      githubHandle: '',
      gitlabHandle: '',
      paypalEmail: 'thief@example.net',
    });
    const profile = await browser.get('/en/account/profile');
    const changed = profile.text.includes('value="thief@example.net"') && reply.status === 303;
    const told = changed ? await w.emailTo('ada@supplier.example.com', since, 3_000) : undefined;
    return {
      open: changed,
      evidence: `profile POST without the password ${reply.status}${errorsOf(reply)}; payout address ${changed ? `CHANGED${told ? ' (owner emailed)' : ', nobody told'}` : 'unchanged'}`,
    };
  },
};

/** This computer's addresses other than loopback: another computer on the network uses them. */
const outsideAddresses = () =>
  Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);

const answersOn = (address: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const req = http.get({ host: address, port, path: '/healthz', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });

/** This environment without NODE_ENV, as a host started by hand has it. */
function withoutNodeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return env;
}

const failOpenDefaults: Attack = {
  id: 'M8',
  title: 'development defaults reachable from the network; no NODE_ENV on a public address',
  async run(w) {
    const addresses = outsideAddresses();
    const reachable = [];
    for (const address of addresses) if (await answersOn(address, w.port)) reachable.push(address);
    // `npm start` on a staging host with a public address and no NODE_ENV.
    const port = await freePort();
    const stagingDir = await tempDir('marketplace-staging-');
    const child = spawn(fromRoot('node_modules/.bin/tsx'), ['src/server.ts'], {
      cwd: fromRoot('.'),
      env: {
        ...withoutNodeEnv(),
        PORT: String(port),
        PUBLIC_URL: 'https://marketplace.example.ca',
        DATA_DIR: stagingDir,
        DATABASE_URL: '',
        HOST: '',
      },
      stdio: 'ignore',
      detached: true,
    });
    let exitCode: number | null = null;
    child.once('exit', (code) => (exitCode = code ?? -1));
    let answered = false;
    for (let waited = 0; waited < 40_000 && exitCode === null && !answered; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answered = await answersOn('127.0.0.1', port);
    }
    if (exitCode === null) await stop(child, 'SIGTERM');
    await rm(stagingDir, { recursive: true, force: true });
    const started = { code: exitCode, answered };
    const preview = await w.browser().get('/en/email-preview');
    return {
      open: reachable.length > 0 || started.answered || started.code === 0,
      evidence: `${addresses.length ? `on ${addresses.join(', ')}: ${reachable.length ? 'ANSWERS' : 'nothing listens'}` : 'no other interface to try'}; public PUBLIC_URL without NODE_ENV: ${started.answered ? 'STARTS AND ANSWERS' : `exits with ${started.code}`}; email preview from loopback ${preview.status}`,
    };
  },
};

const sessionFlood: Attack = {
  id: 'M9',
  title: 'anonymous GETs of form pages each store a session',
  async run(w) {
    const count = async () =>
      w.database(async (db) =>
        Number((await db.query('SELECT count(*) FROM sessions')).rows[0].count),
      );
    const before = await count();
    const flooder = w.browser();
    const cookies = new Set<string>();
    for (const i of sequence(60)) {
      // From one address, each time without the cookie the last answer set.
      const reply = await new Browser(w.site, flooder.sourceAddress).get(
        ['/en/sign-in', '/en/create-account', '/en/forgot-password'][i % 3]!,
      );
      for (const line of reply.headers['set-cookie'] ?? []) cookies.add(line.split(';')[0]!);
    }
    const stored = (await count()) - before;
    return {
      open: stored >= 50,
      evidence: `60 cookie-less GETs from one address: ${cookies.size} session cookies set, ${stored} sessions stored (read in the database)`,
    };
  },
};

const lockOut: Attack = {
  id: 'L1',
  title: 'anyone locks an account out with 10 bad passwords',
  async run(w) {
    const owner = 'etienne@supplier.example.com';
    for (const i of sequence(12)) {
      const email = i % 2 ? owner.toUpperCase() : owner;
      await w.browser().post('/en/sign-in', { email, password: `wrong guess ${i}` });
    }
    // The owner's own sign-in; told to wait (Retry-After), they wait as told, once.
    const first = await w.passwordSignIn(owner);
    const wait = Number(first.reply.headers['retry-after'] ?? NaN);
    let signedIn = first.signedIn;
    let after = '';
    if (!signedIn && wait <= 60) {
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 200));
      signedIn = (await w.passwordSignIn(owner)).signedIn;
      after = `, after waiting ${wait} s as told: ${signedIn ? 'signed in' : 'STILL REFUSED'}`;
    }
    return {
      open: !signedIn,
      evidence: `12 wrong passwords from 12 addresses, then the owner's own sign-in: ${first.reply.status}${first.signedIn ? ' signed in' : ''}${Number.isNaN(wait) ? '' : ` (Retry-After ${wait})`}${after}`,
    };
  },
};

const signInTiming: Attack = {
  id: 'L2',
  title: 'who has an account, told by the sign-in’s timing',
  async run(w) {
    // Accounts that may use a password; each is tried three times, before any per-account delay.
    const known = [
      'ada@supplier.example.com',
      'client@esdc.example.ca',
      'program@esdc.example.ca',
      'client@tbs.example.ca',
      'program@tbs.example.ca',
    ];
    const times = { known: [] as number[], unknown: [] as number[] };
    for (const round of sequence(3)) {
      for (const [i, email] of known.entries()) {
        const pair = [
          ['known', email],
          ['unknown', `nobody-${round}-${i}@supplier.example.com`],
        ] as const;
        for (const [kind, address] of round % 2 ? [...pair].reverse() : pair) {
          const reply = await w
            .browser()
            .post('/en/sign-in', { email: address, password: 'not the password' });
          times[kind].push(reply.ms);
        }
      }
    }
    const gap = median(times.known) - median(times.unknown);
    return {
      open: gap > 8,
      evidence: `median sign-in with a wrong password: ${ms(median(times.known))} for 15 tries at 5 accounts, ${ms(median(times.unknown))} for 15 unknown addresses (gap ${ms(gap)}; open above 8 ms)`,
    };
  },
};

const hashBeforeToken: Attack = {
  id: 'L3',
  title: 'made-up reset links cost an argon2 hash each, without limit',
  async run(w) {
    const browser = w.browser();
    const token = await browser.csrf('/en/forgot-password');
    const statuses: number[] = [];
    const times: number[] = [];
    for (const i of sequence(15)) {
      const body = new URLSearchParams({
        _csrf: token,
        password: 'a new password 123',
        passwordConfirmation: 'a new password 123',
      }).toString();
      const reply = await browser.request(
        'POST',
        `/en/reset-password/${String(i).padStart(43, 'A')}`,
        { body },
      );
      statuses.push(reply.status);
      times.push(reply.ms);
    }
    return {
      open: !statuses.includes(429),
      evidence: `15 POSTs with made-up links: ${statuses.join(' ')}; median ${ms(median(times))}`,
    };
  },
};

const mailFlood: Attack = {
  id: 'L4',
  title: 'one address flooded with sign-up and reset emails',
  async run(w) {
    const victim = 'ada@supplier.example.com';
    const since = w.mailbox.messages.length;
    for (let i = 0; i < 6; i++) {
      await w.browser().post('/en/forgot-password', { email: victim });
      await w.browser().post('/en/create-account', {
        email: victim,
        password: 'flooding the inbox',
        passwordConfirmation: 'flooding the inbox',
        language: 'en',
        privacy: 'yes',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const received = w.mailbox.messages.slice(since).filter((m) => recipients(m).includes(victim));
    for (const mail of received) w.linkIn(mail, '/en/reset-password/');
    const bySubject = new Map<string, number>();
    for (const mail of received)
      bySubject.set(mail.subject ?? '', (bySubject.get(mail.subject ?? '') ?? 0) + 1);
    return {
      open: [...bySubject.values()].some((n) => n > 3),
      evidence: `6 resets and 6 sign-ups for one address from 12 addresses: ${[...bySubject].map(([s, n]) => `${n} × “${s.split(' | ')[0]}”`).join(', ') || 'no email'}`,
    };
  },
};

const afterAbsoluteTimeout: Attack = {
  id: 'L6',
  title: 'a POST after the 12-hour absolute timeout',
  async run(w) {
    const { browser } = await w.passwordSignIn('ada@supplier.example.com', DEMO_PASSWORD);
    const token = await browser.csrf('/en/account');
    const cookie = decodeURIComponent(browser.cookie('session') ?? '');
    const sid = cookie.slice(2, cookie.lastIndexOf('.'));
    // As the review did: the session's sign-in moved 13 hours back in the database.
    const moved = await w.database((db) =>
      db.query(
        `UPDATE sessions SET data = jsonb_set(data::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sid = $1`,
        [sid, Date.now() - 13 * 60 * 60 * 1000],
      ),
    );
    const reply = await browser.request('POST', '/en/sign-out', {
      body: new URLSearchParams({ _csrf: token }).toString(),
    });
    return {
      open: reply.status >= 500 || moved.rowCount !== 1,
      evidence: `session found ${moved.rowCount}; POST sign-out after 13 h: ${reply.status} ${reply.location ?? ''}`,
    };
  },
};

const githubWithoutPkce: Attack = {
  id: 'I2',
  title: 'GitHub authorization without PKCE',
  async run(w) {
    const start = await w.browser().get('/en/sign-in/github');
    const challenge = start.location
      ? new URL(start.location).searchParams.get('code_challenge')
      : null;
    return {
      open: !challenge,
      evidence: `authorization request ${challenge ? 'carries a code_challenge' : 'has NO code_challenge'}`,
    };
  },
};

export const accountAttacks: Attack[] = [
  preRegistration,
  unverifiedEmail,
  passwordOnlyStaff,
  payoutChange,
  signInTiming,
  lockOut,
  hashBeforeToken,
  mailFlood,
  afterAbsoluteTimeout,
  sessionFlood,
  forwardedFor,
  failOpenDefaults,
  githubWithoutPkce,
];
export const lastAttacks: Attack[] = [secretsInLog];
