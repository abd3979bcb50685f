import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loggedUrl } from '../../src/platform/logger.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { agent } from '../helpers/session.ts';

/**
 * Review finding M2: reset, confirmation, invitation and preview tokens, and the OAuth callbacks'
 * codes, were written to the request log with the address. Every line the app logs is captured
 * here while the token addresses are visited the ways a browser (or a script) would.
 */
let database: TestDatabase;
const lines: string[] = [];
let app: ReturnType<typeof createApp>;

const token = () => randomBytes(32).toString('base64url');

beforeAll(async () => {
  database = await createTestDatabase();
  const t = await createTestApp(database.db);
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  app = createApp({ ...t.deps, logger });
});

afterAll(async () => {
  await database.drop();
});

describe('the request log (M2)', () => {
  it('writes no token, code or state of the token pages and sign-in callbacks, in either language', async () => {
    const visits: string[] = [];
    for (const lang of ['en', 'fr'] as const) {
      for (const page of [
        'confirmEmail',
        'resetPassword',
        'acceptInvitation',
        'preview',
      ] as const) {
        const path = url(page, { token: token() }, lang);
        visits.push(path, `${path}/`, path.toUpperCase(), `${path}?again=1`);
      }
      for (const page of ['githubCallback', 'staffSignInCallback'] as const) {
        visits.push(`${url(page, {}, lang)}?code=${token()}&state=${token()}`);
        visits.push(`${url(page, {}, lang)}?state=${token()}&code=abc123&iss=x`);
      }
    }
    const browser = agent(app);
    for (const path of visits) await browser.client.get(path);
    // A form sent from a token page: the token is in the address of the POST too.
    const invitation = url('acceptInvitation', { token: token() }, 'en');
    await request(app).post(invitation).type('form').send({ password: 'x' });
    const reset = url('resetPassword', { token: token() }, 'fr');
    await request(app).post(reset).type('form').send({ password: 'x' });
    await new Promise((resolve) => setImmediate(resolve));

    const logged = lines.map((line) => JSON.parse(line) as { req?: { url?: string } });
    const urls = logged.map((entry) => entry.req?.url).filter((u) => u !== undefined);
    expect(urls.length).toBeGreaterThanOrEqual(visits.length + 2);
    const all = lines.join('\n');
    expect(all).not.toMatch(/[\w-]{43}/);
    expect(all).not.toMatch(/code=|state=/);
    expect(urls).toContain('/en/reset-password/:token');
    expect(urls).toContain('/fr/accepter-invitation/:token');
    expect(urls).toContain('/en/sign-in/github/callback?code&state');
    expect(urls).toContain('/fr/connexion-personnel/retour?state&code&iss');
  });

  it('keeps the rest of an address as it came', () => {
    expect(loggedUrl('/en/requests/MA-2026-0001/step/4')).toBe('/en/requests/MA-2026-0001/step/4');
    expect(loggedUrl('/en/requests?notice=saved')).toBe('/en/requests?notice');
    expect(loggedUrl('/')).toBe('/');
    expect(loggedUrl(`/en/anything/${token()}/more`)).toBe('/en/anything/:token/more');
  });
});
