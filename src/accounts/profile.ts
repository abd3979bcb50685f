import { recordEvent } from '../lifecycle/events.ts';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../platform/clock.ts';
import type { AppDeps } from '../platform/deps.ts';
import {
  changedPayeeFields,
  recordPayeeChange,
  type PayeeDetails,
  type Proof,
} from './payee-details.ts';
import type { ProfileForm } from './profile-schemas.ts';
import { endSessionsOf } from './session.ts';
import { feedbackOfPerson } from '../feedback/repo.ts';
import { answersOfPerson } from '../self-identification/repo.ts';

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
  /** Whether the opportunity's public results name them if they are selected. */
  namedIfSelected: boolean;
}

export async function findProfile(
  db: Db | Knex.Transaction,
  userId: number,
): Promise<SupplierProfile | undefined> {
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
      'p.named_if_selected as namedIfSelected',
    );
}

/** Whether the account signs in with a password (else only through GitHub). */
export async function hasPassword(db: Db, userId: number): Promise<boolean> {
  const user = await db('users').where({ id: userId }).first('password_hash');
  return Boolean(user?.password_hash);
}

const payeeDetailsOf = (p: SupplierProfile | undefined): PayeeDetails => ({
  legalName: p?.legalName ?? '',
  gstHstNumber: p?.gstHstNumber ?? null,
  acceptsCard: p?.acceptsCard ?? false,
  paypalEmail: p?.paypalEmail ?? null,
});

const payeeDetailsOfForm = (form: ProfileForm): PayeeDetails => ({
  legalName: form.legalName,
  gstHstNumber: form.gstHstNumber,
  acceptsCard: form.acceptsCard === 'yes',
  paypalEmail: form.paypalEmail,
});

export type SaveResult = { ok: true } | Extract<Proof, { ok: false }>;

/**
 * Saves the profile. A change to who is paid (legal name, GST/HST number, card, PayPal) first
 * asks `prove` that the owner is at the keyboard, then is recorded and announced by email.
 */
export async function saveProfile(
  deps: AppDeps,
  userId: number,
  form: ProfileForm,
  prove: () => Promise<Proof>,
): Promise<SaveResult> {
  const after = payeeDetailsOfForm(form);
  const asked = changedPayeeFields(payeeDetailsOf(await findProfile(deps.db, userId)), after);
  // argon2 takes a while: the proof is checked before the transaction, not inside it.
  const proof = asked.length > 0 ? await prove() : undefined;
  if (proof && !proof.ok) return proof;
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    await trx('supplier_profiles').insert({ user_id: userId }).onConflict('user_id').ignore();
    await trx('supplier_profiles').where({ user_id: userId }).forUpdate().first('user_id');
    const before = payeeDetailsOf(await findProfile(trx, userId));
    const fields = changedPayeeFields(before, after);
    // Changed in another tab in between: this form now changes them, so it asks for the proof.
    const proved = proof ?? (fields.length > 0 ? await prove() : undefined);
    if (proved && !proved.ok) return proved;
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
        accepts_card: after.acceptsCard,
        paypal_email: form.paypalEmail,
        // Not a payee detail: it changes without the password.
        named_if_selected: form.namedIfSelected === 'yes',
        updated_at: now,
      });
    await trx('users').where({ id: userId }).update({ preferred_language: form.language });
    if (fields.length > 0 && proved) {
      await recordPayeeChange(trx, deps, {
        userId,
        fields,
        proof: proved.by,
        before,
        after,
        language: form.language,
        at: now,
      });
    }
    return { ok: true } as const;
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
  const applications = await db('applications as a')
    .join('opportunities as o', 'o.id', 'a.opportunity_id')
    .where('a.supplier_id', userId)
    .orderBy('a.id')
    .select('a.id', 'o.reference', 'a.status', 'a.language', 'a.attestations', 'a.created_at');
  const answers = await db('application_answers as x')
    .join('mandatory_criteria as c', 'c.id', 'x.mandatory_criterion_id')
    .whereIn(
      'x.application_id',
      applications.map((a: { id: number }) => a.id),
    )
    .orderBy(['x.application_id', 'c.position'])
    .select('x.application_id', 'x.criterion_version', 'x.answer', 'x.links', 'x.updated_at');
  return {
    user: { ...user, github_id: user?.github_id ?? null },
    supplierProfile: profile ?? null,
    roles,
    actions: events,
    applications: applications.map(({ id, ...application }: { id: number }) => ({
      ...application,
      answers: answers
        .filter((answer: { application_id: number }) => answer.application_id === id)
        .map(({ application_id: _, ...answer }: { application_id: number }) => answer),
    })),
    selfIdentification: await answersOfPerson(db, userId),
    feedback: await feedbackOfPerson(db, userId),
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
    await endSessionsOf(trx, userId);
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
