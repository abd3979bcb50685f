import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import {
  closeServers,
  OIDC_CLIENT,
  PUBLIC_URL,
  startIdentityProvider,
} from '../helpers/identity-provider.ts';
import { insertPerson } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

/**
 * M5: with the department's identity provider configured, staff holding financial or
 * administrator roles sign in only through it, so their password cannot be reset either.
 */
let database: TestDatabase;
let t: TestApp;
let esdc: number;
const PASSWORD = 'the password of a finance officer';
const NEW_PASSWORD = 'a password they should not get';

beforeAll(async () => {
  const issuer = await startIdentityProvider();
  database = await createTestDatabase();
  t = await createTestApp(database.db, {
    env: {
      PUBLIC_URL,
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    },
  });
  esdc = await insertDepartment(database.db);
});

afterAll(async () => {
  await closeServers();
  await database.drop();
});

const emailsTo = (email: string): Promise<OutboxRow[]> =>
  database.db('outbox').where({ recipient: email }).orderBy('id');

const resetLinksOf = (userId: number) =>
  database.db('account_tokens').where({ user_id: userId, purpose: 'reset_password' });

describe('password reset for staff who must use the department’s sign-in (M5)', () => {
  it('sends them where to sign in instead of a reset link, behind the same page', async () => {
    const id = await insertPerson(database.db, {
      email: 'finance@esdc.example.ca',
      password: PASSWORD,
      language: 'fr',
      confirmedAt: t.clock.now(),
      grants: [{ role: 'finance_officer', department: esdc }],
    });
    const asked = await agent(t.app).post('/fr/mot-de-passe-oublie', {
      email: 'finance@esdc.example.ca',
    });
    const unknown = await agent(t.app).post('/fr/mot-de-passe-oublie', {
      email: 'nobody@esdc.example.ca',
    });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(unknown.headers.location);

    expect(await resetLinksOf(id)).toHaveLength(0);
    const emails = await emailsTo('finance@esdc.example.ca');
    expect(emails.map((e) => e.template)).toEqual(['department-sign-in']);
    const email = emails[0] as OutboxRow;
    const rendered = t.deps.emailRenderer.render(email.template, email.language, email.data);
    expect(rendered.subject).toBe(
      'Connectez-vous avec le compte de votre ministère | Sign in with your department account',
    );
    expect(rendered.text).toContain(
      `Me connecter avec le compte de mon ministère\u00a0: ${PUBLIC_URL}/fr/connexion-personnel`,
    );
    expect(rendered.text).toContain(
      `Sign in with my department account: ${PUBLIC_URL}/en/staff-sign-in`,
    );
    expect(rendered.text).not.toMatch(/reset-password|reinitialiser-mot-de-passe/);
  });

  it('still sends a reset link to staff without those roles', async () => {
    const id = await insertPerson(database.db, {
      email: 'client@esdc.example.ca',
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role: 'client', department: esdc }],
    });
    await agent(t.app).post('/en/forgot-password', { email: 'client@esdc.example.ca' });
    expect((await emailsTo('client@esdc.example.ca')).map((e) => e.template)).toEqual([
      'reset-password',
    ]);
    expect(await resetLinksOf(id)).toHaveLength(1);
  });

  it('refuses a reset link sent before the role was granted, and the password stays', async () => {
    const id = await insertPerson(database.db, {
      email: 'promoted@esdc.example.ca',
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role: 'client', department: esdc }],
    });
    await agent(t.app).post('/en/forgot-password', { email: 'promoted@esdc.example.ca' });
    const [sent] = (await emailsTo('promoted@esdc.example.ca')) as [OutboxRow];
    const link = new URL((sent.data as { link: { en: string } }).link.en).pathname;
    await database.db('role_grants').insert({
      user_id: id,
      role: 'section32_manager',
      department_id: esdc,
      delegated_limit_cents: 1_000_000,
    });
    const before = await database.db('users').where({ id }).first('password_hash');

    const browser = agent(t.app);
    const page = await browser.client.get(link);
    expect(page.status).toBe(403);
    expect(page.text).toContain('the password of this account cannot be reset');
    expect(page.text).toContain('href="/en/staff-sign-in"');
    const refused = await browser.post(
      link,
      { password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD },
      '/en/forgot-password',
    );
    expect(refused.status).toBe(403);
    expect(await database.db('users').where({ id }).first('password_hash')).toEqual(before);
  });
});
