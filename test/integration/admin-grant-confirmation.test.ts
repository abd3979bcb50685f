import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { departmentRoles } from '../../src/platform/roles.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { adminWorld, ESDC_STAFF, ESDC_STAFF_FR } from '../helpers/admin-world.ts';

/**
 * Review H2: nobody grants a role to themselves; section 32, section 34, finance and
 * administrator roles take a second administrator, who confirms from their own session; each
 * proposal and confirmation is announced to the department's administrators; invitations go to
 * the department's email domains only, past which only a platform administrator may go.
 */
const w = adminWorld();
const { ids, signedIn, events, activeGrant } = w;

const proposals = () => w.database.db('role_grant_proposals').orderBy('id');
const outboxFor = (template: string) =>
  w.database.db('outbox').where({ template }).orderBy('id') as Promise<OutboxRow[]>;

describe('granting a role to oneself', () => {
  it('is refused for every role, in the page’s language, leaving nothing behind (the review’s test 2)', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = { events: (await events()).length, proposals: (await proposals()).length };
    for (const role of departmentRoles.filter((r) => r !== 'department_admin')) {
      const res = await admin.post(ESDC_STAFF, {
        action: 'grant',
        grantUser: String(ids.esdcAdmin),
        grantRole: role,
        grantLimit: role === 'section32_manager' ? '10000' : '',
        grantDelegation: 'Matrix 2026, item 4.2',
      });
      expect(res.status, role).toBe(400);
      expect(res.text, role).toContain('Nobody grants a role to themselves');
      expect(await activeGrant(ids.esdcAdmin!, role, w.esdc), role).toBeUndefined();
    }
    const fr = await admin.post(ESDC_STAFF_FR, {
      action: 'grant',
      grantUser: String(ids.esdcAdmin),
      grantRole: 'section32_manager',
      grantLimit: '10 000',
      grantDelegation: 'Matrice 2026, point 4.2',
    });
    expect(fr.text).toContain('Personne ne s’attribue un rôle à soi-même');
    // Nor by inviting one's own address.
    const invited = await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'ADMIN@esdc.example.ca',
      inviteLanguage: 'en',
      inviteRole: 'finance_officer',
    });
    expect(invited.status).toBe(400);
    expect(invited.text).toContain('Nobody grants a role to themselves');
    expect((await events()).length).toBe(before.events);
    expect(await proposals()).toHaveLength(before.proposals);
  });

  it('is refused by the database too, as is a financial grant without its second person', async () => {
    const insert = (grant: Record<string, unknown>) =>
      w.database.db('role_grants').insert({ department_id: w.esdc, ...grant });
    await expect(
      insert({
        user_id: ids.esdcAdmin,
        role: 'section32_manager',
        delegated_limit_cents: 100,
        granted_by: ids.esdcAdmin,
        confirmed_by: ids.esdcAdmin2,
      }),
    ).rejects.toThrow(/nobody grants a role to themselves/);
    await expect(
      insert({ user_id: ids.esdcClient, role: 'finance_officer', granted_by: ids.esdcAdmin }),
    ).rejects.toThrow(/needs a second administrator/);
    await expect(
      insert({
        user_id: ids.esdcClient,
        role: 'finance_officer',
        granted_by: ids.esdcAdmin,
        confirmed_by: ids.esdcAdmin,
      }),
    ).rejects.toThrow(/needs a second administrator/);
    // Only an administrator of the department grants: not another department's.
    await expect(
      insert({ user_id: ids.esdcClient, role: 'program_officer', granted_by: ids.tbsAdmin }),
    ).rejects.toThrow(/only an administrator of the department/);
    await expect(
      w.database.db('role_grant_proposals').insert({
        department_id: w.esdc,
        user_id: ids.esdcAdmin,
        role: 'finance_officer',
        proposed_by: ids.esdcAdmin,
        status: 'proposed',
        version: 1,
        created_at: w.t.clock.now(),
        updated_at: w.t.clock.now(),
      }),
    ).rejects.toThrow(/role_grant_proposals_not_self/);
  });
});

describe('a role that takes two administrators', () => {
  it('is proposed by one, confirmed by another from their own session, and announced to both', async () => {
    const first = await signedIn('admin@esdc.example.ca');
    const proposed = await first.post(ESDC_STAFF, {
      action: 'grant',
      grantUser: String(ids.esdcClient),
      grantRole: 'section32_manager',
      grantLimit: '6,500.00',
      grantDelegation: 'ESDC delegation matrix 2026, item 4.2',
    });
    expect(proposed.status).toBe(303);
    expect(proposed.headers.location).toBe(`${ESDC_STAFF}?done=proposed`);
    // Nothing is granted yet.
    expect(await activeGrant(ids.esdcClient!, 'section32_manager', w.esdc)).toBeUndefined();
    const [proposal] = await w.database
      .db('role_grant_proposals')
      .where({ user_id: ids.esdcClient, role: 'section32_manager' });
    expect(proposal).toMatchObject({
      status: 'proposed',
      proposed_by: ids.esdcAdmin,
      delegated_limit_cents: 650_000,
      delegation_reference: 'ESDC delegation matrix 2026, item 4.2',
    });
    expect((await events()).at(-1)).toMatchObject({
      entity_type: 'role_grant_proposal',
      entity_id: proposal.id,
      action: 'propose_grant',
      to_state: 'proposed',
      actor_id: ids.esdcAdmin,
      department_id: w.esdc,
    });

    // Both ESDC administrators are told, in both languages, the recipient's first.
    const announced = await outboxFor('role-grant-proposed');
    expect(announced.map((r) => r.recipient).sort()).toEqual([
      'admin2@esdc.example.ca',
      'admin@esdc.example.ca',
    ]);
    const email = w.t.deps.emailRenderer.render(
      announced[0]!.template,
      announced[0]!.language,
      announced[0]!.data,
    );
    expect(email.subject).toContain('Role to confirm');
    expect(email.subject).toContain('Rôle à confirmer\u00a0:');
    expect(email.text).toContain(
      'proposed to give client (client@esdc.example.ca) the role “Section 32 manager”',
    );
    expect(email.text).toContain('«\u00a0Gestionnaire en application de l’article 32\u00a0»');
    expect(email.text).toContain('ESDC delegation matrix 2026, item 4.2');
    expect(email.text).toContain('$6,500.00');
    expect(email.text).toContain('/fr/admin/ministeres/esdc/personnel#pending');
    expect(w.t.missingKeys).toEqual([]);

    // The proposer has no confirm button, and is refused if they post one anyway.
    let html = parse((await first.client.get(ESDC_STAFF).expect(200)).text);
    expect(html.querySelector(`#proposal-${proposal.id} input[value="confirm"]`)).toBeNull();
    const own = await first.post(ESDC_STAFF, {
      action: 'confirm',
      proposal: String(proposal.id),
      version: String(proposal.version),
    });
    expect(own.status).toBe(400);
    expect(own.text).toContain('You proposed this role: another administrator');
    expect(await activeGrant(ids.esdcClient!, 'section32_manager', w.esdc)).toBeUndefined();

    // The second administrator finds it in Needs attention, then on the staff page.
    const second = await signedIn('admin2@esdc.example.ca');
    const queue = parse((await second.client.get('/en/work-queues').expect(200)).text);
    const link = queue.querySelector('#grants ~ table a')?.getAttribute('href');
    expect(link).toBe(`${ESDC_STAFF}#proposal-${proposal.id}`);
    html = parse((await second.client.get(ESDC_STAFF).expect(200)).text);
    expect(html.querySelector(`#proposal-${proposal.id} input[value="confirm"]`)).not.toBeNull();
    const confirmed = await second.post(ESDC_STAFF, {
      action: 'confirm',
      proposal: String(proposal.id),
      version: String(proposal.version),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(`${ESDC_STAFF}?done=confirm`);
    const grant = await activeGrant(ids.esdcClient!, 'section32_manager', w.esdc);
    expect(grant).toMatchObject({
      granted_by: ids.esdcAdmin,
      confirmed_by: ids.esdcAdmin2,
      delegated_limit_cents: 650_000,
      delegation_reference: 'ESDC delegation matrix 2026, item 4.2',
    });
    const added = (await events()).slice(-2);
    expect(added.map((e) => `${e.entity_type}:${e.action}`)).toEqual([
      'role_grant_proposal:confirm',
      'role_grant:grant_role',
    ]);
    expect(added[1]).toMatchObject({
      actor_id: ids.esdcAdmin2,
      payload: { proposedBy: ids.esdcAdmin, confirmedBy: ids.esdcAdmin2 },
    });
    const told = await outboxFor('role-grant-confirmed');
    expect(told.map((r) => r.recipient).sort()).toEqual([
      'admin2@esdc.example.ca',
      'admin@esdc.example.ca',
    ]);
    const confirmation = w.t.deps.emailRenderer.render(told[0]!.template, 'fr', told[0]!.data);
    expect(confirmation.text).toContain('a confirmé le rôle');

    // A second click changes nothing and says why.
    const again = await second.post(ESDC_STAFF, {
      action: 'confirm',
      proposal: String(proposal.id),
      version: String(proposal.version),
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already confirmed or set aside');
  });

  it('sends the invitation of a new address only once its role is confirmed', async () => {
    const first = await signedIn('admin@esdc.example.ca');
    const invited = await first.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'nouveau.financier@esdc.example.ca',
      inviteLanguage: 'fr',
      inviteRole: 'finance_officer',
    });
    expect(invited.headers.location).toBe(`${ESDC_STAFF}?done=proposed`);
    const invitations = () =>
      w.database.db('outbox').where({ recipient: 'nouveau.financier@esdc.example.ca' });
    expect(await invitations()).toEqual([]);
    const proposal = await w.database
      .db('role_grant_proposals')
      .where({ role: 'finance_officer', status: 'proposed' })
      .first();
    const second = await signedIn('admin2@esdc.example.ca');
    await second.post(ESDC_STAFF, {
      action: 'confirm',
      proposal: String(proposal.id),
      version: String(proposal.version),
    });
    const [sent] = await invitations();
    expect(sent).toMatchObject({ template: 'staff-invitation', language: 'fr' });
    expect(JSON.stringify(sent.data)).toContain('/fr/accepter-invitation/');
  });
});

describe('invitations and the department’s email domains', () => {
  it('refuses an address outside them, lets a platform administrator past them, and records it', async () => {
    const admin = await signedIn('admin@esdc.example.ca');
    const before = (await events()).length;
    const outside = await admin.post(ESDC_STAFF_FR, {
      action: 'invite',
      inviteEmail: 'sockpuppet@gmail.com',
      inviteLanguage: 'en',
      inviteRole: 'client',
    });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('domaines de courriel du ministère\u00a0: esdc.example.ca');
    expect(await w.database.db('users').where({ email: 'sockpuppet@gmail.com' })).toEqual([]);
    expect((await events()).length).toBe(before);

    const platform = await signedIn('platform@example.ca');
    const past = await platform.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'interim.admin@contractor.example.com',
      inviteLanguage: 'en',
      inviteRole: 'department_admin',
    });
    expect(past.status).toBe(303);
    const invitation = (await events()).find(
      (e) => e.action === 'invite_staff' && e.actor_id === ids.platform,
    );
    expect(invitation.payload).toMatchObject({
      email: 'interim.admin@contractor.example.com',
      outsideDomains: true,
    });
  });

  it('are set by the platform administrators only', async () => {
    const settings = {
      nameEn: 'ESDC',
      nameFr: 'EDSC',
      acronymEn: 'ESDC',
      acronymFr: 'EDSC',
      paymentPaypal: 'yes',
      emailDomains: 'gmail.com',
    };
    const admin = await signedIn('admin@esdc.example.ca');
    expect((await admin.post('/en/admin/departments/esdc', settings)).status).toBe(303);
    const domains = async () =>
      (await w.database.db('departments').where({ id: w.esdc }).first()).email_domains;
    expect(await domains()).toEqual(['esdc.example.ca']);
    const platform = await signedIn('platform@example.ca');
    const bad = await platform.post('/en/admin/departments/esdc', {
      ...settings,
      emailDomains: 'not a domain',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter one email domain per line');
    const saved = await platform.post('/en/admin/departments/esdc', {
      ...settings,
      emailDomains: 'esdc.example.ca\r\n@ESDC-EDSC.gc.ca',
    });
    expect(saved.status).toBe(303);
    expect(await domains()).toEqual(['esdc.example.ca', 'esdc-edsc.gc.ca']);
  });
});
