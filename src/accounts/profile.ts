import { recordEvent } from '../lifecycle/events.ts';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { ProfileForm } from './profile-schemas.ts';

export interface SupplierProfile {
  legalName: string;
  supplierType: 'individual' | 'business';
  businessName: string | null;
  gstHstNumber: string | null;
  province: string | null;
  language: 'en' | 'fr';
  githubHandle: string | null;
  gitlabHandle: string | null;
  acceptsCard: boolean;
  paypalEmail: string | null;
}

export async function findProfile(db: Db, userId: number): Promise<SupplierProfile | undefined> {
  return db('supplier_profiles as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where('p.user_id', userId)
    .first(
      'p.legal_name as legalName',
      'p.supplier_type as supplierType',
      'p.business_name as businessName',
      'p.gst_hst_number as gstHstNumber',
      'p.province',
      'u.preferred_language as language',
      'p.github_handle as githubHandle',
      'p.gitlab_handle as gitlabHandle',
      'p.accepts_card as acceptsCard',
      'p.paypal_email as paypalEmail',
    );
}

export async function saveProfile(db: Db, clock: Clock, userId: number, form: ProfileForm) {
  await db.transaction(async (trx) => {
    await trx('supplier_profiles').insert({ user_id: userId }).onConflict('user_id').ignore();
    await trx('supplier_profiles')
      .where({ user_id: userId })
      .update({
        legal_name: form.legalName,
        supplier_type: form.supplierType,
        business_name: form.supplierType === 'business' ? form.businessName : null,
        gst_hst_number: form.gstHstNumber,
        province: form.province,
        github_handle: form.githubHandle,
        gitlab_handle: form.gitlabHandle,
        accepts_card: form.acceptsCard === 'yes',
        paypal_email: form.paypalEmail,
        updated_at: clock.now(),
      });
    await trx('users').where({ id: userId }).update({ preferred_language: form.language });
  });
}

/** Everything we hold about a person, as they can download it (Privacy Act right of access). */
export async function personalData(db: Db, userId: number) {
  const user = await db('users')
    .where({ id: userId })
    .first(
      'email',
      'kind',
      'display_name',
      'preferred_language',
      'email_confirmed_at',
      'created_at',
      'github_id',
    );
  const profile = await db('supplier_profiles').where({ user_id: userId }).first();
  const roles = await db('role_grants as g')
    .leftJoin('departments as d', 'd.id', 'g.department_id')
    .where('g.user_id', userId)
    .select('g.role', 'd.acronym_en as department', 'g.granted_at', 'g.revoked_at');
  const events = await db('events')
    .where({ actor_id: userId })
    .orderBy('at')
    .select('entity_type', 'action', 'at');
  if (profile) delete profile.user_id;
  return {
    user: { ...user, github_id: user?.github_id ?? null },
    supplierProfile: profile ?? null,
    roles,
    actions: events,
  };
}

/**
 * Closes an account: the person can no longer sign in, their sessions end and their personal
 * details are removed; the email address is kept, replaced by a tombstone, only so records that
 * must be retained (applications, payments) still point at an account.
 */
export async function closeAccount(db: Db, clock: Clock, userId: number): Promise<void> {
  const now = clock.now();
  await db.transaction(async (trx) => {
    await trx('users')
      .where({ id: userId })
      .update({
        closed_at: now,
        email: `closed-${userId}@closed.invalid`,
        display_name: '',
        password_hash: null,
        github_id: null,
        oidc_subject: null,
      });
    await trx('supplier_profiles').where({ user_id: userId }).delete();
    await trx('account_tokens').where({ user_id: userId }).delete();
    await trx('sessions').whereRaw(`(data->>'userId')::bigint = ?`, [userId]).delete();
    await recordEvent(trx, {
      entityType: 'user',
      entityId: userId,
      opportunityId: null,
      departmentId: null,
      action: 'close_account',
      actorId: userId,
      at: now,
    });
  });
}
