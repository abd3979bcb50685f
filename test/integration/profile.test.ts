import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

let database: TestDatabase;
let t: TestApp;
const PASSWORD = 'profile passphrase 2026';

async function supplier(email: string) {
  await insertPerson(database.db, {
    email,
    kind: 'supplier',
    name: '',
    password: PASSWORD,
    confirmedAt: t.clock.now(),
  });
  return signIn(t.app, email, PASSWORD);
}

const validProfile = {
  legalName: 'Ada Nakamura',
  supplierType: 'business',
  businessName: 'Nakamura Code Inc.',
  gstHstNumber: '123456789 rt0001',
  province: 'NS',
  language: 'fr',
  githubHandle: 'ada-n',
  gitlabHandle: '',
  acceptsCard: 'yes',
  paypalEmail: '',
  // The legal name, GST/HST number and card change: the password confirms it (review M7).
  password: PASSWORD,
};

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

describe('supplier profile', () => {
  it('refuses bad input in French, keeping what was typed', async () => {
    const a = await supplier('bad@example.com');
    const res = await a.post('/fr/compte/profil', {
      ...validProfile,
      businessName: '',
      gstHstNumber: '12345',
      province: 'XX',
    });
    expect(res.status).toBe(400);
    const page = parse(res.text);
    expect(page.querySelectorAll('.error-summary a').map((l) => l.getAttribute('href'))).toEqual([
      '#gstHstNumber',
      '#province',
    ]);
    expect(res.text).toContain('Saisissez un numéro de TPS/TVH comme 123456789RT0001');
    expect(page.querySelector('#legalName')?.getAttribute('value')).toBe('Ada Nakamura');
    expect(page.querySelector('#gstHstNumber')?.getAttribute('value')).toBe('12345');
  });

  it('saves the profile, normalises the GST/HST number and shows it back', async () => {
    const a = await supplier('ada@example.com');
    const res = await a.post('/en/account/profile', validProfile);
    expect(res.status).toBe(303);
    const page = parse((await a.client.get('/en/account/profile').expect(200)).text);
    expect(page.querySelector('#gstHstNumber')?.getAttribute('value')).toBe('123456789RT0001');
    expect(page.querySelector('#businessName')?.getAttribute('value')).toBe('Nakamura Code Inc.');
    expect(page.querySelector('#acceptsCard')?.hasAttribute('checked')).toBe(true);
    expect(page.querySelector('#province option[selected]')?.getAttribute('value')).toBe('NS');
    const user = await database.db('users').where({ email: 'ada@example.com' }).first();
    expect(user.preferred_language).toBe('fr');
  });

  it('escapes script and attribute-injection payloads wherever they are shown', async () => {
    const a = await supplier('xss@example.com');
    const payloads = {
      legalName: '"><script>alert(1)</script>',
      businessName: "' onmouseover='alert(2)' x='<img src=x onerror=alert(3)>",
    };
    expect((await a.post('/en/account/profile', { ...validProfile, ...payloads })).status).toBe(
      303,
    );
    const html = (await a.client.get('/en/account/profile')).text;
    const page = parse(html);
    expect(page.querySelectorAll('script')).toHaveLength(0);
    expect(page.querySelectorAll('img')).toHaveLength(0);
    expect(page.querySelector('#legalName')?.getAttribute('value')).toBe(payloads.legalName);
    expect(page.querySelector('#businessName')?.getAttribute('value')).toBe(payloads.businessName);
    expect(page.querySelectorAll('[onmouseover]')).toHaveLength(0);
    // Invalid input comes back on the error page: escaped there too.
    const failed = await a.post('/en/account/profile', {
      ...validProfile,
      ...payloads,
      province: '',
    });
    expect(parse(failed.text).querySelectorAll('script, img, [onmouseover]')).toHaveLength(0);
  });

  it('lets a supplier download their data as JSON', async () => {
    const a = await supplier('data@example.com');
    expect((await a.post('/en/account/profile', validProfile)).status).toBe(303);
    const res = await a.client.get('/fr/compte/mes-donnees.json').expect(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?mes-donnees.json/);
    expect(res.body.user.email).toBe('data@example.com');
    expect(res.body.supplierProfile.legal_name).toBe('Ada Nakamura');
    expect(JSON.stringify(res.body)).not.toContain('password');
  });

  it('closes an account: no more sign-in, personal details removed, an event recorded', async () => {
    const a = await supplier('close@example.com');
    expect((await a.post('/en/account/profile', validProfile)).status).toBe(303);
    const unconfirmed = await a.post('/en/account/close', {});
    expect(unconfirmed.status).toBe(400);
    const closed = await a.post('/en/account/close', { confirm: 'yes' });
    expect(closed.status).toBe(303);
    expect((await a.client.get('/en/account')).status).toBe(303);
    const again = agent(t.app);
    expect(
      (await again.post('/en/sign-in', { email: 'close@example.com', password: PASSWORD })).status,
    ).toBe(400);
    expect(await database.db('users').where({ email: 'close@example.com' })).toHaveLength(0);
    const [event] = await database.db('events').where({ action: 'close_account' });
    expect(event.entity_type).toBe('user');
  });
});
