import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { agent } from '../helpers/session.ts';

/**
 * Review L3, the invitation part: a made-up invitation link is refused before any argon2 hash
 * is computed, and the form that sets the password is rate limited.
 */
let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const PASSWORD = 'a long enough passphrase';
const madeUp = (i: number) =>
  url('acceptInvitation', { token: `${'x'.repeat(40)}${100 + i}` }, 'en');

const median = (values: number[]) => values.sort((x, y) => x - y)[values.length >> 1]!;

describe('the invitation link’s password form', () => {
  it('refuses a made-up link without hashing the password first, then limits the attempts', async () => {
    const a = agent(t.app);
    const _csrf = await a.csrf(madeUp(0));
    const post = (path: string, confirmation = PASSWORD) =>
      a.client
        .post(path)
        .type('form')
        .send({ _csrf, password: PASSWORD, passwordConfirmation: confirmation });
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };

    // Interleaved, so that the machine's load weighs on all three alike: a form refused before
    // the link is looked at, a made-up link, and one argon2 hash.
    const formError: number[] = [];
    const badLink: number[] = [];
    const hash: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      // The limit below is not what this part measures.
      await database.db('rate_limits').delete();
      formError.push(await timed(() => post(madeUp(i), 'not the same passphrase')));
      badLink.push(
        await timed(async () => {
          const res = await post(madeUp(i));
          expect(res.status).toBe(400);
          expect(res.text).toContain('This invitation link is wrong');
        }),
      );
      hash.push(await timed(() => hashPassword(PASSWORD)));
    }
    // Hashing first, a made-up link costs a hash more than a form error; checking first, a read.
    const extra = median(badLink) - median(formError);
    expect(
      extra,
      `made-up link ${extra} ms more than a form error; a hash ${median(hash)} ms`,
    ).toBeLessThan(median(hash) / 2);

    // Ten attempts in a quarter of an hour, then the limit, in the page's language.
    await database.db('rate_limits').delete();
    for (let i = 0; i < 10; i += 1) expect((await post(madeUp(i))).status).toBe(400);
    const refused = await post(url('acceptInvitation', { token: 'y'.repeat(43) }, 'fr'));
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Trop de tentatives');
  });
});
