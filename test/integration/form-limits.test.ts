import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { agent } from '../helpers/session.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

describe('rate limits on forms that send email', () => {
  it('refuses the 11th password-reset request from one address within 15 minutes, in both languages', async () => {
    const a = agent(t.app);
    for (let i = 0; i < 10; i += 1) {
      const res = await a.post('/en/forgot-password', { email: `person${i}@example.com` });
      expect(res.status).toBe(303);
    }
    const refused = await a.post('/fr/mot-de-passe-oublie', { email: 'one-more@example.com' });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Trop de tentatives');
    expect(refused.text).toContain('Too many attempts');
  });
});
