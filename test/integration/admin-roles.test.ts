import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/roles.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, TEST_NOW, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type Grant } from '../helpers/people.ts';
import { agent } from '../helpers/session.ts';

const PASSWORD = 'admin screen passphrase';
let database: TestDatabase;
let t: TestApp;
let esdc: number;
let tbs: number;
const ids: Record<string, number> = {};

const insertStaff = (email: string, grants: Grant[]) =>
  insertPerson(database.db, { email, password: PASSWORD, grants, confirmedAt: t.clock.now() });
const signedIn = (email: string) => signIn(t.app, email, PASSWORD);

const events = () => database.db('events').orderBy('id').select();
const activeGrant = (userId: number, role: Role, department: number) =>
  database
    .db('role_grants')
    .where({ user_id: userId, role, department_id: department })
    .whereNull('revoked_at')
    .first();

const ESDC_STAFF = '/en/admin/departments/esdc/staff';
const ESDC_STAFF_FR = '/fr/admin/ministeres/esdc/personnel';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  ids.esdcAdmin = await insertStaff('admin@esdc.example.ca', [
    { role: 'department_admin', department: esdc },
  ]);
  ids.esdcClient = await insertStaff('client@esdc.example.ca', [
    { role: 'client', department: esdc },
  ]);
  ids.tbsAdmin = await insertStaff('admin@tbs.example.ca', [
    { role: 'department_admin', department: tbs },
  ]);
  ids.tbsClient = await insertStaff('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
  ids.platform = await insertStaff('platform@example.ca', [
    { role: 'platform_admin', department: null },
  ]);
});

afterAll(async () => {
  await database.drop();
});

describe('department administration of roles', () => {
  it('lets the ESDC administrator grant and revoke roles in ESDC, each leaving exactly one event', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const page = await admin.client.get(ESDC_STAFF).expect(200);
    expect(page.text).toContain('client@esdc.example.ca');
    expect(page.text).not.toContain('client@tbs.example.ca');

    const before = (await events()).length;
    const granted = await admin.post(ESDC_STAFF, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '6,500.00',
    });
    expect(granted.status).toBe(303);
    expect(granted.headers.location).toBe(`${ESDC_STAFF}?done=grant`);
    const grant = await activeGrant(ids.esdcClient!, 'section32_manager', esdc);
    expect(grant.delegated_limit_cents).toBe(650_000);
    expect(grant.granted_by).toBe(ids.esdcAdmin);
    const afterGrant = await events();
    expect(afterGrant).toHaveLength(before + 1);
    expect(afterGrant.at(-1)).toMatchObject({
      entity_type: 'role_grant',
      entity_id: grant.id,
      action: 'grant_role',
      actor_id: ids.esdcAdmin,
      payload: {
        userId: ids.esdcClient,
        departmentId: esdc,
        role: 'section32_manager',
        delegatedLimitCents: 650_000,
      },
    });
    expect(afterGrant.at(-1).at.toISOString()).toBe(new Date(TEST_NOW).toISOString());
    const shown = await admin.client.get(`${ESDC_STAFF}?done=grant`).expect(200);
    expect(shown.text).toContain('The role is granted.');
    expect(shown.text).toContain('$6,500.00');

    const revoked = await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(grant.id) });
    expect(revoked.status).toBe(303);
    expect(await activeGrant(ids.esdcClient!, 'section32_manager', esdc)).toBeUndefined();
    const afterRevoke = await events();
    expect(afterRevoke).toHaveLength(before + 2);
    expect(afterRevoke.at(-1)).toMatchObject({
      entity_type: 'role_grant',
      entity_id: grant.id,
      action: 'revoke_role',
      actor_id: ids.esdcAdmin,
      payload: { userId: ids.esdcClient, departmentId: esdc, role: 'section32_manager' },
    });

    // A second click on the same revoke button changes nothing and says why.
    const again = await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(grant.id) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already revoked');
    expect(await events()).toHaveLength(before + 2);
  });

  it('reads a French-style limit on the French page', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const res = await admin.post(ESDC_STAFF_FR, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '6 500,50',
    });
    expect(res.status).toBe(303);
    const grant = await activeGrant(ids.esdcClient!, 'section32_manager', esdc);
    expect(grant.delegated_limit_cents).toBe(650_050);
    await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(grant.id) });
  });

  it('shows 404 to another department’s administrator, on every page and for a direct POST', async () => {
    const admin = await signedIn('admin@tbs.example.ca');
    for (const path of [
      '/en/admin/departments/esdc',
      ESDC_STAFF,
      '/fr/admin/ministeres/esdc',
      ESDC_STAFF_FR,
    ]) {
      const res = await admin.client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('client@esdc.example.ca');
    }
    const list = await admin.client.get('/en/admin/departments').expect(200);
    expect(list.text).toContain('/en/admin/departments/tbs');
    expect(list.text).not.toContain('/en/admin/departments/esdc');

    const before = { events: (await events()).length, grants: await database.db('role_grants') };
    const tbsStaff = '/en/admin/departments/tbs/staff';
    const grant = await admin.post(
      ESDC_STAFF,
      { action: 'grant', grantUser: String(ids.esdcClient), grantRole: 'department_admin' },
      tbsStaff,
    );
    expect(grant.status).toBe(404);
    const esdcAdminGrant = await activeGrant(ids.esdcAdmin!, 'department_admin', esdc);
    const revoke = await admin.post(
      ESDC_STAFF,
      { action: 'revoke', grant: String(esdcAdminGrant.id) },
      tbsStaff,
    );
    expect(revoke.status).toBe(404);
    const settings = await admin.post(
      '/en/admin/departments/esdc',
      { nameEn: 'Taken over', nameFr: 'Pris', acronymEn: 'ESDC', acronymFr: 'EDSC' },
      tbsStaff,
    );
    expect(settings.status).toBe(404);
    // Nor through its own page, naming a person or a grant of ESDC.
    const sideways = await admin.post(tbsStaff, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'client',
    });
    expect(sideways.status).toBe(400);
    const sidewaysRevoke = await admin.post(tbsStaff, {
      action: 'revoke',
      grant: String(esdcAdminGrant.id),
    });
    expect(sidewaysRevoke.status).toBe(409);
    expect((await events()).length).toBe(before.events);
    expect(await database.db('role_grants')).toEqual(before.grants);
  });

  it('answers 403 to ESDC staff without the role, and hides the Administration link from them', async () => {
    const client = await signedIn('client@esdc.example.ca');
    expect((await client.client.get(ESDC_STAFF)).status).toBe(403);
    expect((await client.client.get('/en/admin/departments')).status).toBe(403);
    const account = await client.client.get('/en/account').expect(200);
    expect(account.text).not.toContain('/en/admin/departments');
    const admin = await signedIn('admin@esdc.example.ca');
    const adminAccount = await admin.client.get('/fr/compte').expect(200);
    expect(adminAccount.text).toContain('href="/fr/admin/ministeres"');
  });

  it('refuses a section 32 grant without a limit or above $10,000, in French, keeping what was typed', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = (await events()).length;
    const missing = await admin.post(ESDC_STAFF_FR, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Saisissez la limite du pouvoir délégué');
    let html = parse(missing.text);
    expect(html.querySelector('.error-summary a[href="#grantLimit"]')).not.toBeNull();
    // Only the field in error says so.
    expect(html.querySelectorAll('[aria-invalid="true"]').map((e) => e.id)).toEqual(['grantLimit']);
    expect(html.querySelector('#grantRole option[selected]')?.getAttribute('value')).toBe(
      'section32_manager',
    );
    expect(html.querySelector('#grantUser option[selected]')?.getAttribute('value')).toBe(
      String(ids.esdcClient),
    );

    const tooHigh = await admin.post(ESDC_STAFF_FR, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '10 000,01',
    });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.text).toContain('au plus 10\u00a0000\u00a0$');
    html = parse(tooHigh.text);
    expect(html.querySelector('#grantLimit')?.getAttribute('value')).toBe('10 000,01');
    expect(html.querySelector('html')?.getAttribute('lang')).toBe('fr');

    const unreadable = await admin.post(ESDC_STAFF, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '6.500,00',
    });
    expect(unreadable.status).toBe(400);
    expect(unreadable.text).toContain('Enter the delegated limit in dollars');

    expect(await activeGrant(ids.esdcClient!, 'section32_manager', esdc)).toBeUndefined();
    expect((await events()).length).toBe(before);
  });

  it('refuses platform_admin and an administrator’s revocation of their own role', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = (await events()).length;
    const platform = await admin.post(ESDC_STAFF_FR, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'platform_admin',
    });
    expect(platform.status).toBe(400);
    expect(platform.text).toContain('ne peut pas être attribué à partir de la page d’un ministère');
    const own = await activeGrant(ids.esdcAdmin!, 'department_admin', esdc);
    const self = await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(own.id) });
    expect(self.status).toBe(400);
    expect(self.text).toContain('You cannot revoke your own department administrator role');
    const selfFr = await admin.post(ESDC_STAFF_FR, { action: 'revoke', grant: String(own.id) });
    expect(selfFr.text).toContain('Vous ne pouvez pas retirer votre propre rôle');
    expect(await activeGrant(ids.esdcAdmin!, 'department_admin', esdc)).toBeDefined();
    expect(
      await database.db('role_grants').where({ role: 'platform_admin' }).count({ n: '*' }).first(),
    ).toEqual({ n: 1 });
    expect((await events()).length).toBe(before);
  });

  it('lets a platform administrator administer both departments', async () => {
    const platform = await signedIn('platform@example.ca');
    const list = await platform.client.get('/fr/admin/ministeres').expect(200);
    expect(list.text).toContain('/fr/admin/ministeres/esdc');
    expect(list.text).toContain('/fr/admin/ministeres/tbs');
    await platform.client.get('/en/admin/departments/esdc').expect(200);
    await platform.client.get('/en/admin/departments/tbs/staff').expect(200);
    for (const [dept, userId] of [
      ['esdc', ids.esdcClient],
      ['tbs', ids.tbsClient],
    ] as const) {
      const res = await platform.post(`/en/admin/departments/${dept}/staff`, {
        action: 'grant',
        grantUser: String(userId),
        grantRole: 'program_officer',
      });
      expect(res.status, dept).toBe(303);
      const grant = await activeGrant(userId!, 'program_officer', dept === 'esdc' ? esdc : tbs);
      const event = await database
        .db('events')
        .where({ entity_type: 'role_grant', entity_id: grant.id })
        .first();
      expect(event).toMatchObject({ action: 'grant_role', actor_id: ids.platform });
    }
    expect((await platform.client.get('/en/admin/departments/nope')).status).toBe(404);
  });

  it('invites a new person with a bilingual email and a link to choose a password', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = (await events()).length;
    const res = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'Nouvelle@esdc.example.ca',
      inviteName: 'Nadia Nouvelle',
      inviteLanguage: 'fr',
      inviteRole: 'client',
      inviteLimit: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${ESDC_STAFF}?done=invite`);
    const user = await database
      .db('users')
      .whereRaw('lower(email) = ?', ['nouvelle@esdc.example.ca'])
      .first();
    expect(user).toMatchObject({ kind: 'staff', preferred_language: 'fr', password_hash: null });
    expect(await activeGrant(user.id, 'client', esdc)).toBeDefined();
    expect(
      await database.db('account_tokens').where({ user_id: user.id, purpose: 'invitation' }),
    ).toHaveLength(1);
    const added = (await events()).slice(before);
    expect(added.map((e) => `${e.entity_type}:${e.action}`)).toEqual([
      'department:invite_staff',
      'role_grant:grant_role',
    ]);
    expect(added[0]).toMatchObject({ entity_id: esdc, actor_id: ids.esdcAdmin });

    const row: OutboxRow = await database
      .db('outbox')
      .where({ recipient: 'Nouvelle@esdc.example.ca' })
      .first();
    expect(row).toMatchObject({ template: 'staff-invitation', language: 'fr' });
    const email = t.deps.emailRenderer.render(row.template, row.language, row.data);
    expect(email.subject).toBe(
      'Votre rôle sur le marché des micro-acquisitions\u00a0: Ministère EDSC | Your role on the micro-acquisitions marketplace: ESDC department',
    );
    expect(email.text.indexOf('Vous avez un rôle')).toBeLessThan(
      email.text.indexOf('You have a role'),
    );
    expect(email.text).toContain('le rôle «\u00a0Client\u00a0»');
    expect(email.text).toContain('the role “Client”');
    expect(email.html).toContain('/fr/accepter-invitation/');
    expect(email.html).toContain('/en/accept-invitation/');
    expect(t.missingKeys).toEqual([]);

    const link = new URL(email.text.match(/http\S+\/fr\/accepter-invitation\/[\w-]+/)![0]).pathname;
    const invited = agent(t.app);
    await invited.client.get(link).expect(200);
    const accepted = await invited.post(link, {
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Votre compte est prêt');
    expect((await invited.client.get(link)).status).toBe(200); // the form, but the token is used
    const reused = await agent(t.app).post(link, {
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    });
    expect(reused.status).toBe(400);
    await signedIn('nouvelle@esdc.example.ca');
  });

  it('tells an existing staff member of their new role, and refuses a supplier’s address', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const res = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'client@tbs.example.ca',
      inviteLanguage: 'en',
      inviteRole: 'finance_officer',
    });
    expect(res.status).toBe(303);
    expect(await activeGrant(ids.tbsClient!, 'finance_officer', esdc)).toBeDefined();
    const row: OutboxRow = await database
      .db('outbox')
      .where({ recipient: 'client@tbs.example.ca' })
      .first();
    const email = t.deps.emailRenderer.render(row.template, row.language, row.data);
    expect(email.text).toContain('/en/sign-in');
    expect(email.text).not.toContain('accept-invitation');

    await database.db('users').insert({ email: 'ada@supplier.example.com', kind: 'supplier' });
    const supplier = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'ada@supplier.example.com',
      inviteLanguage: 'en',
      inviteRole: 'client',
    });
    expect(supplier.status).toBe(400);
    expect(supplier.text).toContain('belongs to a supplier account');
    expect(parse(supplier.text).querySelector('#inviteEmail')?.getAttribute('value')).toBe(
      'ada@supplier.example.com',
    );
  });
});

describe('department settings', () => {
  it('saves names, acronyms, cost centres, payment methods and the exemption, as one event', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const page = await admin.client.get('/fr/admin/ministeres/esdc').expect(200);
    expect(parse(page.text).querySelector('#acronymFr')?.getAttribute('value')).toBe('EDSC');
    const before = (await events()).length;
    const res = await admin.post('/fr/admin/ministeres/esdc', {
      nameEn: 'Employment and Social Development Canada',
      nameFr: 'Emploi et Développement social Canada',
      acronymEn: 'esdc',
      acronymFr: 'edsc',
      costCentres: '105432\r\n\r\n  A-220  \r\n105432',
      paymentCard: 'yes',
      cardExemptionReference: 'DM-2021-044',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/admin/ministeres/esdc?saved=1');
    const row = await database.db('departments').where({ id: esdc }).first();
    expect(row).toMatchObject({
      acronym_en: 'ESDC',
      acronym_fr: 'EDSC',
      name_fr: 'Emploi et Développement social Canada',
      cost_centres: ['105432', 'A-220'],
      payment_methods: ['card_direct'],
      card_exemption_reference: 'DM-2021-044',
    });
    const added = (await events()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      entity_type: 'department',
      entity_id: esdc,
      action: 'update_settings',
      actor_id: ids.esdcAdmin,
    });
    expect(Object.keys(added[0].payload.changes).sort()).toEqual([
      'cardExemptionReference',
      'costCentres',
      'nameEn',
      'nameFr',
      'paymentMethods',
    ]);
  });

  it('refuses the card without its exemption and a taken acronym, in the page’s language', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = (await events()).length;
    const withoutCard = {
      nameEn: 'ESDC',
      nameFr: 'EDSC',
      acronymEn: 'ESDC',
      acronymFr: 'EDSC',
      costCentres: '105432',
      cardExemptionReference: '',
    };
    const form = { ...withoutCard, paymentCard: 'yes' };
    const noExemption = await admin.post('/fr/admin/ministeres/esdc', form);
    expect(noExemption.status).toBe(400);
    expect(noExemption.text).toContain('Saisissez la référence de l’exemption');
    expect(parse(noExemption.text).querySelector('#paymentCard')?.hasAttribute('checked')).toBe(
      true,
    );
    const taken = await admin.post('/en/admin/departments/esdc', {
      ...form,
      acronymEn: 'tbs',
      cardExemptionReference: 'X-1',
    });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Another department already uses this acronym.');
    const none = await admin.post('/en/admin/departments/esdc', withoutCard);
    expect(none.text).toContain('Choose at least one payment method.');
    expect((await events()).length).toBe(before);
  });

  it('escapes script and attribute-injection payloads in names on every admin page that shows them', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const invited = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'xss@esdc.example.ca',
      inviteName: payload,
      inviteLanguage: 'en',
      inviteRole: 'client',
      inviteLimit: '',
    });
    expect(invited.status).toBe(303);
    const saved = await admin.post('/en/admin/departments/esdc', {
      nameEn: `ESDC ${payload}`,
      nameFr: `EDSC ${payload}`,
      acronymEn: 'esdc',
      acronymFr: 'edsc',
      costCentres: '105432',
      paymentPaypal: 'yes',
      cardExemptionReference: '',
    });
    expect(saved.status).toBe(303);
    for (const path of [
      ESDC_STAFF,
      ESDC_STAFF_FR,
      '/en/admin/departments',
      '/en/admin/departments/esdc',
    ]) {
      const res = await admin.client.get(path).expect(200);
      const page = parse(res.text);
      expect(page.querySelectorAll('script, img, [onerror]'), path).toHaveLength(0);
      expect(res.text, path).toContain('&lt;script&gt;');
    }
  });
});
