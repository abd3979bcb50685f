import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../helpers/app.ts';
import { adminWorld, ESDC_STAFF, ESDC_STAFF_FR } from '../helpers/admin-world.ts';

/** Department administrators grant and revoke roles in their own department only. */
const w = adminWorld();
const { ids, signedIn, events, activeGrant } = w;

describe('department administration of roles', () => {
  it('lets the ESDC administrator grant and revoke roles in ESDC, each leaving exactly one event', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const page = await admin.client.get(ESDC_STAFF).expect(200);
    expect(page.text).toContain('client@esdc.example.ca');
    expect(page.text).not.toContain('client@tbs.example.ca');

    const before = (await events()).length;
    // A role one administrator grants alone (sections 32 and 34, finance and administration
    // take two: admin-grant-confirmation.test.ts).
    const granted = await admin.post(ESDC_STAFF, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'program_officer',
    });
    expect(granted.status).toBe(303);
    expect(granted.headers.location).toBe(`${ESDC_STAFF}?done=grant`);
    const grant = await activeGrant(ids.esdcClient!, 'program_officer', w.esdc);
    expect(grant.delegated_limit_cents).toBeNull();
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
        departmentId: w.esdc,
        role: 'program_officer',
        delegatedLimitCents: null,
      },
    });
    expect(afterGrant.at(-1).at.toISOString()).toBe(new Date(TEST_NOW).toISOString());
    const shown = await admin.client.get(`${ESDC_STAFF}?done=grant`).expect(200);
    expect(shown.text).toContain('The role is granted.');

    const revoked = await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(grant.id) });
    expect(revoked.status).toBe(303);
    expect(await activeGrant(ids.esdcClient!, 'program_officer', w.esdc)).toBeUndefined();
    const afterRevoke = await events();
    expect(afterRevoke).toHaveLength(before + 2);
    expect(afterRevoke.at(-1)).toMatchObject({
      entity_type: 'role_grant',
      entity_id: grant.id,
      action: 'revoke_role',
      actor_id: ids.esdcAdmin,
      payload: { userId: ids.esdcClient, departmentId: w.esdc, role: 'program_officer' },
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
      grantDelegation: 'Matrice 2026, point 4.2',
    });
    expect(res.status).toBe(303);
    const proposal = await w.database
      .db('role_grant_proposals')
      .where({ user_id: ids.esdcClient, role: 'section32_manager', status: 'proposed' })
      .first();
    expect(proposal.delegated_limit_cents).toBe(650_050);
    const page = await admin.client.get(ESDC_STAFF_FR).expect(200);
    expect(page.text).toContain('6\u00a0500,50\u00a0$');
    // Withdrawn by its proposer: nothing is left awaiting.
    const withdrawn = await admin.post(ESDC_STAFF, {
      action: 'decline',
      proposal: String(proposal.id),
      version: String(proposal.version),
    });
    expect(withdrawn.headers.location).toBe(`${ESDC_STAFF}?done=decline`);
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

    const before = { events: (await events()).length, grants: await w.database.db('role_grants') };
    const tbsStaff = '/en/admin/departments/tbs/staff';
    const grant = await admin.post(
      ESDC_STAFF,
      { action: 'grant', grantUser: String(ids.esdcClient), grantRole: 'department_admin' },
      tbsStaff,
    );
    expect(grant.status).toBe(404);
    const esdcAdminGrant = await activeGrant(ids.esdcAdmin!, 'department_admin', w.esdc);
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
    expect(await w.database.db('role_grants')).toEqual(before.grants);
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
      grantDelegation: 'Matrix 2026, item 4.2',
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
      grantDelegation: 'Matrix 2026, item 4.2',
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
      grantDelegation: 'Matrix 2026, item 4.2',
    });
    expect(unreadable.status).toBe(400);
    expect(unreadable.text).toContain('Enter the delegated limit in dollars');

    expect(await activeGrant(ids.esdcClient!, 'section32_manager', w.esdc)).toBeUndefined();
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
    const own = await activeGrant(ids.esdcAdmin!, 'department_admin', w.esdc);
    const self = await admin.post(ESDC_STAFF, { action: 'revoke', grant: String(own.id) });
    expect(self.status).toBe(400);
    expect(self.text).toContain('You cannot revoke your own department administrator role');
    const selfFr = await admin.post(ESDC_STAFF_FR, { action: 'revoke', grant: String(own.id) });
    expect(selfFr.text).toContain('Vous ne pouvez pas retirer votre propre rôle');
    expect(await activeGrant(ids.esdcAdmin!, 'department_admin', w.esdc)).toBeDefined();
    expect(
      await w.database
        .db('role_grants')
        .where({ role: 'platform_admin' })
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 1 });
    expect((await events()).length).toBe(before);
  });

  it('lets a platform administrator propose either department’s administrators, and nothing else (review L8)', async () => {
    const platform = await signedIn('platform@example.ca');
    const list = await platform.client.get('/fr/admin/ministeres').expect(200);
    expect(list.text).toContain('/fr/admin/ministeres/esdc');
    expect(list.text).toContain('/fr/admin/ministeres/tbs');
    await platform.client.get('/en/admin/departments/esdc').expect(200);
    await platform.client.get('/en/admin/departments/tbs/staff').expect(200);
    for (const [dept, userId, department] of [
      ['esdc', ids.esdcClient, w.esdc],
      ['tbs', ids.tbsClient, w.tbs],
    ] as const) {
      const res = await platform.post(`/en/admin/departments/${dept}/staff`, {
        action: 'grant',
        grantUser: String(userId),
        grantRole: 'department_admin',
      });
      expect(res.status, dept).toBe(303);
      expect(res.headers.location).toBe(`/en/admin/departments/${dept}/staff?done=proposed`);
      const proposal = await w.database
        .db('role_grant_proposals')
        .where({ user_id: userId, department_id: department, status: 'proposed' })
        .first();
      expect(proposal).toMatchObject({ role: 'department_admin', proposed_by: ids.platform });
      const before = (await events()).length;
      // The department's own roles are the department's to grant.
      const refused = await platform.post(`/fr/admin/ministeres/${dept}/personnel`, {
        action: 'grant',
        grantUser: String(userId),
        grantRole: 'program_officer',
      });
      expect(refused.status, dept).toBe(400);
      expect(refused.text).toContain('n’attribue à un ministère que ses administrateurs');
      expect(await activeGrant(userId!, 'program_officer', department)).toBeUndefined();
      expect((await events()).length).toBe(before);
    }
    expect((await platform.client.get('/en/admin/departments/nope')).status).toBe(404);
  });
});
