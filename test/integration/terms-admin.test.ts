import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson, signIn } from '../helpers/people.ts';

let database: TestDatabase;
let t: TestApp;
const ADMIN = { email: 'paul.admin@platform.example.ca', password: 'terms admin passphrase' };

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  await insertPerson(database.db, {
    ...ADMIN,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'platform_admin', department: null }],
  });
});

afterAll(async () => {
  await database.drop();
});

describe('terms versions (issue 11, item 8)', () => {
  it('shows the current version to everyone, in the page’s language', async () => {
    const fr = await signIn(t.app, ADMIN.email, ADMIN.password, 'fr');
    const page = await fr.client.get(url('terms', {}, 'fr'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Modalités du contrat, version 1');
    expect(page.text).toContain('4. Propriété intellectuelle.');
    expect(t.missingKeys).toEqual([]);
  });

  it('is found from every page’s footer, and by platform administrators from their admin page', async () => {
    const home = await request(t.app).get('/en/opportunities');
    expect(home.text).toContain('<a href="/en/terms">Contract terms for suppliers</a>');
    const admin = await signIn(t.app, ADMIN.email, ADMIN.password);
    const departments = await admin.client.get(url('adminDepartments', {}, 'en')).expect(200);
    expect(departments.text).toContain('href="/en/admin/terms"');
  });

  it('refuses a version missing a language, in the page’s language, with what was typed', async () => {
    const admin = await signIn(t.app, ADMIN.email, ADMIN.password, 'fr');
    const typed = '1. A new first clause, typed <carefully> & kept.';
    const res = await admin.post(url('adminTerms', {}, 'fr'), { body_en: typed, body_fr: '  ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Rédigez les modalités en français.');
    expect(res.text).toContain('1. A new first clause, typed &lt;carefully&gt; &amp; kept.');
    expect(res.text).toContain('Au plus 20\u00a0000 caractères.');
    const tooLong = await admin.post(url('adminTerms', {}, 'en'), {
      body_en: 'x'.repeat(20_001),
      body_fr: 'Une clause.',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Write at most 20000 characters.');
    expect(await database.db('terms_versions').pluck('number')).toEqual([1]);
  });
});
