import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { adminWorld, ESDC_STAFF, ESDC_STAFF_FR, PASSWORD } from '../helpers/admin-world.ts';
import { agent } from '../helpers/session.ts';

/** Inviting staff to a department, and the department's own settings. */
const w = adminWorld();
const { ids, signedIn, events, activeGrant } = w;

describe('department administration of roles', () => {
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
    const user = await w.database
      .db('users')
      .whereRaw('lower(email) = ?', ['nouvelle@esdc.example.ca'])
      .first();
    expect(user).toMatchObject({ kind: 'staff', preferred_language: 'fr', password_hash: null });
    expect(await activeGrant(user.id, 'client', w.esdc)).toBeDefined();
    expect(
      await w.database.db('account_tokens').where({ user_id: user.id, purpose: 'invitation' }),
    ).toHaveLength(1);
    const added = (await events()).slice(before);
    expect(added.map((e) => `${e.entity_type}:${e.action}`)).toEqual([
      'department:invite_staff',
      'role_grant:grant_role',
    ]);
    expect(added[0]).toMatchObject({ entity_id: w.esdc, actor_id: ids.esdcAdmin });

    const row: OutboxRow = await w.database
      .db('outbox')
      .where({ recipient: 'Nouvelle@esdc.example.ca' })
      .first();
    expect(row).toMatchObject({ template: 'staff-invitation', language: 'fr' });
    const email = w.t.deps.emailRenderer.render(row.template, row.language, row.data);
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
    expect(w.t.missingKeys).toEqual([]);

    const link = new URL(email.text.match(/http\S+\/fr\/accepter-invitation\/[\w-]+/)![0]).pathname;
    const invited = agent(w.t.app);
    await invited.client.get(link).expect(200);
    const accepted = await invited.post(link, {
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Votre compte est prêt');
    expect((await invited.client.get(link)).status).toBe(200); // the form, but the token is used
    const reused = await agent(w.t.app).post(link, {
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    });
    expect(reused.status).toBe(400);
    await signedIn('nouvelle@esdc.example.ca');
  });

  it('tells an existing staff member of their new role, and refuses addresses outside the department’s domains', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const res = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'client@esdc.example.ca',
      inviteLanguage: 'en',
      inviteRole: 'program_officer',
    });
    expect(res.status).toBe(303);
    expect(await activeGrant(ids.esdcClient!, 'program_officer', w.esdc)).toBeDefined();
    const row: OutboxRow = await w.database
      .db('outbox')
      .where({ recipient: 'client@esdc.example.ca' })
      .first();
    const email = w.t.deps.emailRenderer.render(row.template, row.language, row.data);
    expect(email.text).toContain('/en/sign-in');
    expect(email.text).not.toContain('accept-invitation');

    // Another department's staff (review I5) and a supplier's address are both outside ESDC's
    // domains: the same answer, which says nothing of the account behind the address.
    await w.database.db('users').insert({ email: 'ada@supplier.example.com', kind: 'supplier' });
    const before = (await events()).length;
    for (const address of ['client@tbs.example.ca', 'ada@supplier.example.com']) {
      const refused = await admin.post(ESDC_STAFF, {
        action: 'invite',
        inviteEmail: address,
        inviteLanguage: 'en',
        inviteRole: 'client',
      });
      expect(refused.status, address).toBe(400);
      expect(refused.text).toContain(
        'Invite an address at one of the department’s email domains: esdc.example.ca.',
      );
      expect(refused.text).not.toContain('supplier account');
      expect(parse(refused.text).querySelector('#inviteEmail')?.getAttribute('value')).toBe(
        address,
      );
    }
    expect(await activeGrant(ids.tbsClient!, 'client', w.esdc)).toBeUndefined();
    expect((await events()).length).toBe(before);
  });
});

describe('an invitation to a supplier’s address at the department’s domain (review I5)', () => {
  it('answers as any invitation does, grants nothing, and tells the address’s owner once an hour', async () => {
    const [supplier] = await w.database
      .db('users')
      .insert({ email: 'moonlighting@esdc.example.ca', kind: 'supplier', preferred_language: 'fr' })
      .returning('id');
    const admin = await signedIn('admin@esdc.example.ca');
    const invite = (inviteEmail: string) =>
      admin.post(ESDC_STAFF, {
        action: 'invite',
        inviteEmail,
        inviteLanguage: 'en',
        inviteRole: 'client',
      });
    const fresh = await invite('someone.new@esdc.example.ca');
    for (let i = 0; i < 2; i += 1) {
      const res = await invite('moonlighting@esdc.example.ca');
      expect(res.status).toBe(fresh.status);
      expect(res.headers.location).toBe(fresh.headers.location);
    }
    expect(await w.database.db('role_grants').where({ user_id: supplier.id })).toEqual([]);
    const told = await w.database.db('outbox').where({ recipient: 'moonlighting@esdc.example.ca' });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ template: 'staff-invitation-supplier', language: 'fr' });
    const email = w.t.deps.emailRenderer.render(told[0].template, told[0].language, told[0].data);
    expect(email.text.indexOf('compte de fournisseur')).toBeLessThan(
      email.text.indexOf('supplier account'),
    );
    expect(email.text).not.toContain('accept-invitation');
    expect(w.t.missingKeys).toEqual([]);
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
    const row = await w.database.db('departments').where({ id: w.esdc }).first();
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
      entity_id: w.esdc,
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
