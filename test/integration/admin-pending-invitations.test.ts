import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { adminWorld, ESDC_STAFF, ESDC_STAFF_FR } from '../helpers/admin-world.ts';
import { agent } from '../helpers/session.ts';

/**
 * Issue 14 item 5: a pending invitation (no password chosen from its link yet) is resent — a
 * fresh link, the earlier ones spent — or revoked — its link spent, the person's roles in the
 * department ended — from the staff page, each with its event.
 */
const w = adminWorld();
const INVITEE = 'new.client@esdc.example.ca';

const invitations = () =>
  w.database
    .db('outbox')
    .where({ template: 'staff-invitation', recipient: INVITEE })
    .orderBy('id') as Promise<OutboxRow[]>;
const linkOf = (row: OutboxRow) => (row.data as { link: { en: string } }).link.en;
const pathOf = (link: string) => new URL(link).pathname;

/** Chooses a password from an invitation link: true when the link worked. */
async function accept(link: string): Promise<boolean> {
  const res = await agent(w.t.app).post(pathOf(link), {
    password: 'a brand new passphrase 2026',
    passwordConfirmation: 'a brand new passphrase 2026',
  });
  return res.status === 200 && !res.text.includes('This invitation link is wrong');
}

describe('a pending invitation', () => {
  it('is resent with a fresh link, and revoked with its roles; then it is gone', async () => {
    const admin = await w.signedIn('admin@esdc.example.ca');
    await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: INVITEE,
      inviteLanguage: 'en',
      inviteRole: 'client',
    });
    const user = await w.database.db('users').where({ email: INVITEE }).first();
    const page = await admin.client.get(ESDC_STAFF);
    expect(page.text).toContain('Invitation sent; no password chosen yet.');

    const resent = await admin.post(ESDC_STAFF, {
      action: 'resendInvitation',
      member: String(user.id),
    });
    expect(resent.headers.location).toContain('done=resent');
    const [first, second] = await invitations();
    expect(second).toBeDefined();
    expect(linkOf(second!)).not.toBe(linkOf(first!));

    const revoked = await admin.post(ESDC_STAFF_FR, {
      action: 'revokeInvitation',
      member: String(user.id),
    });
    expect(revoked.headers.location).toContain('done=invitationRevoked');
    expect(await w.activeGrant(user.id, 'client', w.esdc)).toBeUndefined();
    const actions = (await w.events()).map((e) => e.action);
    expect(actions).toContain('resend_invitation');
    expect(actions).toContain('revoke_invitation');
    // Neither link works now: the first was spent by the resend, the second by the revocation.
    expect(await accept(linkOf(first!))).toBe(false);
    expect(await accept(linkOf(second!))).toBe(false);
    // Gone: a second revocation is refused in the page's language.
    const again = await admin.post(ESDC_STAFF_FR, {
      action: 'revokeInvitation',
      member: String(user.id),
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Cette personne n’a plus d’invitation en attente ici');
  });

  it('is not one once the password is chosen, nor another department’s', async () => {
    const admin = await w.signedIn('admin@esdc.example.ca');
    await admin.post(ESDC_STAFF, {
      action: 'invite',
      inviteEmail: 'accepted@esdc.example.ca',
      inviteLanguage: 'en',
      inviteRole: 'client',
    });
    const [row] = (await w.database.db('outbox').where({
      template: 'staff-invitation',
      recipient: 'accepted@esdc.example.ca',
    })) as OutboxRow[];
    expect(await accept(linkOf(row!))).toBe(true);
    const user = await w.database.db('users').where({ email: 'accepted@esdc.example.ca' }).first();
    const res = await admin.post(ESDC_STAFF, {
      action: 'resendInvitation',
      member: String(user.id),
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This person has no pending invitation here any more');
    // TBS's administrator cannot touch ESDC's invitee from TBS's page.
    const tbs = await w.signedIn('admin@tbs.example.ca');
    const other = await tbs.post('/en/admin/departments/tbs/staff', {
      action: 'revokeInvitation',
      member: String(user.id),
    });
    expect(other.status).toBe(409);
    expect(await w.activeGrant(user.id, 'client', w.esdc)).toBeDefined();
  });
});
