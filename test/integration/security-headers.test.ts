import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** Review finding I4: no Permissions-Policy, and HSTS without preload. */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

const production = () => ({
  NODE_ENV: 'production',
  DATABASE_URL: database.url,
  SESSION_SECRET: 'p'.repeat(40),
  PUBLIC_URL: 'https://marketplace.example.ca',
});

describe('security headers (I4)', () => {
  it('refuses the camera, microphone, location and payment features on every answer', async () => {
    const t = await createTestApp(database.db, { cacheSeconds: 60 });
    for (const path of ['/', '/en/about', '/en/about', '/fr/nowhere', '/healthz']) {
      const res = await request(t.app).get(path);
      const policy = String(res.headers['permissions-policy']);
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
        expect(policy, `${path} ${feature}`).toContain(`${feature}=()`);
      }
    }
  });

  it('asks for HSTS with preload in production only', async () => {
    const live = await createTestApp(database.db, { env: production() });
    const hsts = (await request(live.app).get('/en/about').expect(200)).headers;
    expect(hsts['strict-transport-security']).toBe('max-age=63072000; includeSubDomains; preload');
    const development = await createTestApp(database.db);
    const plain = (await request(development.app).get('/en/about').expect(200)).headers;
    expect(plain['strict-transport-security']).toBeUndefined();
  });
});
