import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { githubAccount, approvesNext } from '../helpers/fake-github.ts';
import { federatedWorld } from '../helpers/federated-world.ts';
import { followToSite, idpAccounts, pathOf, signsInNext } from '../helpers/identity-provider.ts';

/**
 * In a real browser about 1 sign-in in 14 landed back on the sign-in page: express-session sends
 * the redirect's headers while it is still storing the new session, and the browser follows them
 * at once. Here the database takes 300 ms to store a signed-in session, and the client follows
 * each redirect as soon as its headers arrive, as a browser does: the next page must know the
 * person, whichever way they signed in.
 */
const w = federatedWorld();
const PASSWORD = 'a long enough passphrase';
let site: string;

beforeAll(async () => {
  await w.database.db.raw(`
    CREATE FUNCTION slow_signed_in_session() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.data->>'userId' IS NOT NULL THEN PERFORM pg_sleep(0.3); END IF;
      RETURN NEW;
    END $$`);
  await w.database.db.raw(`
    CREATE TRIGGER slow_signed_in_session BEFORE INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION slow_signed_in_session()`);
  const server = createServer(w.t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends a request and resolves when the response's headers arrive, before its body ends. */
function send(path: string, cookie?: string, form?: Record<string, string>) {
  const body = form && new URLSearchParams(form).toString();
  return new Promise<IncomingMessage>((resolve, reject) => {
    const headers = {
      ...(cookie && { cookie }),
      ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
    };
    request(site + path, { method: body ? 'POST' : 'GET', headers }, resolve)
      .on('error', reject)
      .end(body);
  });
}

async function textOf(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
}

const cookieOf = (res: IncomingMessage, before?: string) =>
  res.headers['set-cookie']?.[0]?.split(';')[0] ?? before;

/** Follows a redirect the moment its headers arrive; answers the status of the next page. */
async function followAtOnce(redirect: IncomingMessage, cookie?: string): Promise<number> {
  expect(redirect.statusCode).toBe(303);
  const next = await send(redirect.headers.location!, cookieOf(redirect, cookie));
  redirect.resume();
  next.resume();
  return next.statusCode!;
}

describe('the session is stored before the redirect that follows a sign-in leaves', () => {
  it('with a password, three times in a row', async () => {
    await w.insertUser('quick@supplier.example.com', 'supplier', {
      password_hash: await hashPassword(PASSWORD),
    });
    for (let i = 0; i < 3; i++) {
      const page = await send('/en/sign-in');
      const cookie = cookieOf(page);
      const csrf = parse(await textOf(page))
        .querySelector('input[name="_csrf"]')
        ?.getAttribute('value');
      const signedIn = await send('/en/sign-in', cookie, {
        _csrf: csrf!,
        email: 'quick@supplier.example.com',
        password: PASSWORD,
      });
      expect(signedIn.headers.location).toBe('/en/work-queues');
      expect(await followAtOnce(signedIn, cookie)).toBe(200);
    }
  });

  it('with GitHub', async () => {
    approvesNext(githubAccount(8001, 'quick.github@dev.example.com'));
    const start = await send('/en/sign-in/github');
    start.resume();
    const back = await followToSite(start.headers.location!);
    const cookie = cookieOf(start);
    expect(await followAtOnce(await send(pathOf(back), cookie), cookie)).toBe(200);
  });

  it('with the department’s identity provider', async () => {
    idpAccounts.set('emp-8002', { email: 'quick.staff@esdc.example.ca' });
    signsInNext('emp-8002');
    const start = await send('/en/staff-sign-in');
    start.resume();
    const back = await followToSite(start.headers.location!);
    const cookie = cookieOf(start);
    expect(await followAtOnce(await send(pathOf(back), cookie), cookie)).toBe(200);
  });

  it('and the session is gone before the redirect that follows a sign-out leaves', async () => {
    const page = await send('/en/sign-in');
    const csrf = parse(await textOf(page))
      .querySelector('input[name="_csrf"]')
      ?.getAttribute('value');
    const signedIn = await send('/en/sign-in', cookieOf(page), {
      _csrf: csrf!,
      email: 'quick@supplier.example.com',
      password: PASSWORD,
    });
    signedIn.resume();
    const cookie = cookieOf(signedIn)!;
    const account = await send('/en/account', cookie);
    const token = parse(await textOf(account))
      .querySelector('form[action="/en/sign-out"] input[name="_csrf"]')
      ?.getAttribute('value');
    const signedOut = await send('/en/sign-out', cookie, { _csrf: token! });
    const after = await send('/en/account', cookie);
    signedOut.resume();
    after.resume();
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/en\/sign-in/);
  });
});
