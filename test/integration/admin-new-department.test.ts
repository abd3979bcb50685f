import { describe, expect, it } from 'vitest';
import { adminWorld, ESDC_STAFF, PASSWORD } from '../helpers/admin-world.ts';
import { insertPerson } from '../helpers/people.ts';

/**
 * Issue 14 item 5: a platform administrator creates a department with its settings, then
 * appoints its first administrator through the staff page's invitation, which a second platform
 * administrator confirms (the two-person rule of every department administrator's grant).
 */
const w = adminWorld();
const NEW = '/en/admin/new-department';
const NEW_FR = '/fr/admin/nouveau-ministere';

const dfo = {
  nameEn: 'Fisheries and Oceans Canada',
  nameFr: 'Pêches et Océans Canada',
  acronymEn: 'dfo',
  acronymFr: 'mpo',
  costCentres: 'CC-100\nCC-200',
  emailDomains: 'dfo-mpo.example.ca',
  paymentCard: 'yes',
  paymentPaypal: 'yes',
  cardExemptionReference: 'CFO-2026-07',
};

describe('creating a department', () => {
  it('is for platform administrators only', async () => {
    const admin = await w.signedIn('admin@esdc.example.ca');
    expect((await admin.client.get(NEW)).status).toBe(403);
    expect((await admin.post(NEW, dfo, ESDC_STAFF)).status).toBe(403);
    expect(await w.database.db('departments').where({ acronym_en: 'DFO' }).first()).toBeUndefined();
  });

  it('refuses bad input in the page’s language, with what was typed', async () => {
    const platform = await w.signedIn('platform@example.ca');
    const en = await platform.post(NEW, { ...dfo, acronymEn: 'esdc', cardExemptionReference: '' });
    expect(en.status).toBe(400);
    expect(en.text).toContain('Fisheries and Oceans Canada');
    expect(en.text).toMatch(/exemption/i);
    const taken = await platform.post(NEW, { ...dfo, acronymEn: 'esdc' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Another department already uses this acronym.');
    const fr = await platform.post(NEW_FR, { ...dfo, acronymFr: 'SCT' });
    expect(fr.status).toBe(400);
    expect(fr.text).toContain('Pêches et Océans Canada');
    expect(fr.text).toContain('Un autre ministère utilise déjà ce sigle.');
    expect(await w.database.db('departments').where({ acronym_en: 'DFO' }).first()).toBeUndefined();
  });

  it('creates it with its settings and an event, then its first administrator takes two platform administrators', async () => {
    const platform = await w.signedIn('platform@example.ca');
    const form = await platform.client.get(NEW_FR);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Créer un ministère');
    const res = await platform.post(NEW, dfo);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/en/admin/departments/dfo/staff?done=created');
    const row = await w.database.db('departments').where({ acronym_en: 'DFO' }).first();
    expect(row).toMatchObject({
      name_fr: 'Pêches et Océans Canada',
      acronym_fr: 'MPO',
      cost_centres: ['CC-100', 'CC-200'],
      email_domains: ['dfo-mpo.example.ca'],
      payment_methods: ['card_direct', 'paypal_payout'],
      card_exemption_reference: 'CFO-2026-07',
    });
    const event = await w.database
      .db('events')
      .where({ entity_type: 'department', entity_id: row.id, action: 'create_department' })
      .first();
    expect(event).toMatchObject({ actor_id: w.ids.platform, department_id: row.id });
    const staff = await platform.client.get(res.headers.location!);
    expect(staff.text).toContain('The department is created.');

    // Its first administrator: proposed by this platform administrator ...
    const invited = await platform.post('/en/admin/departments/dfo/staff', {
      action: 'invite',
      inviteEmail: 'first.admin@dfo-mpo.example.ca',
      inviteLanguage: 'fr',
      inviteRole: 'department_admin',
    });
    expect(invited.headers.location).toContain('done=proposed');
    const proposal = await w.database
      .db('role_grant_proposals')
      .where({ department_id: row.id })
      .first();
    expect(proposal).toMatchObject({ role: 'department_admin', status: 'proposed' });
    const decide = (who: Awaited<ReturnType<typeof w.signedIn>>) =>
      who.post('/en/admin/departments/dfo/staff', {
        action: 'confirm',
        proposal: String(proposal.id),
        version: String(proposal.version),
      });
    // ... who cannot confirm it themselves ...
    expect((await decide(platform)).status).toBe(400);
    // ... and confirmed by a second one.
    await insertPerson(w.database.db, {
      email: 'platform2@example.ca',
      password: PASSWORD,
      grants: [{ role: 'platform_admin', department: null }],
      confirmedAt: w.t.clock.now(),
    });
    const confirmed = await decide(await w.signedIn('platform2@example.ca'));
    expect(confirmed.status).toBe(303);
    const admin = await w.database
      .db('users')
      .where({ email: 'first.admin@dfo-mpo.example.ca' })
      .first();
    expect(await w.activeGrant(admin.id, 'department_admin', row.id)).toBeDefined();
    const invitation = await w.database
      .db('outbox')
      .where({ recipient: 'first.admin@dfo-mpo.example.ca' })
      .first();
    expect(invitation).toBeDefined();
  });
});
