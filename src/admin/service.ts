import type { AppDeps } from '../platform/deps.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { findUserByEmail, setPasswordFromLink } from '../accounts/repo.ts';
import type { Role } from '../platform/roles.ts';
import { consumeToken, issueToken, tokenHolder } from '../accounts/tokens.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { url } from '../platform/routes.ts';
import {
  acronymTaken,
  activeDepartmentGrants,
  appendEvent,
  findActiveGrant,
  findDepartment,
  holdsRole,
  insertGrant,
  insertStaffUser,
  isStaffOf,
  listDepartments,
  revokeGrant,
  updateDepartment,
  type DepartmentRow,
  type DepartmentSettings,
  type StaffGrant,
} from './repo.ts';
import type { GrantForm, InviteForm, SettingsForm } from './schemas.ts';

const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Why an action was refused: the form field it concerns and the message's locale key. */
export interface Refusal {
  field: string;
  key: string;
}
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const refuse = (field: string, key: string) => ({ ok: false as const, refusal: { field, key } });

const isPlatformAdmin = (user: CurrentUser) => user.grants.some((g) => g.role === 'platform_admin');

/** The departments this person administers; a platform administrator administers them all. */
export async function administeredDepartments(
  deps: AppDeps,
  user: CurrentUser,
): Promise<DepartmentRow[]> {
  if (isPlatformAdmin(user)) return listDepartments(deps.db);
  const ids = user.grants.flatMap((g) =>
    g.role === 'department_admin' && g.departmentId !== null ? [g.departmentId] : [],
  );
  return ids.length ? listDepartments(deps.db, ids) : [];
}

export function settingsOf(d: DepartmentRow): DepartmentSettings {
  return {
    acronymEn: d.acronym_en,
    acronymFr: d.acronym_fr,
    nameEn: d.name_en,
    nameFr: d.name_fr,
    costCentres: d.cost_centres,
    paymentMethods: d.payment_methods,
    cardExemptionReference: d.card_exemption_reference,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/** Saves a department's settings and records what changed; returns the department's new slug. */
export async function updateSettings(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  form: SettingsForm,
): Promise<Outcome<string>> {
  const taken = await acronymTaken(deps.db, departmentId, {
    en: form.acronymEn,
    fr: form.acronymFr,
  });
  if (taken.en) return refuse('acronymEn', 'admin.errors.acronymTaken');
  if (taken.fr) return refuse('acronymFr', 'admin.errors.acronymTaken');
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      const before = await trx('departments')
        .where({ id: departmentId })
        .forUpdate()
        .first<DepartmentRow | undefined>();
      if (!before) return refuse('form', 'admin.errors.departmentGone');
      const old = settingsOf(before);
      const changes = Object.fromEntries(
        (Object.keys(form) as (keyof DepartmentSettings)[])
          .filter((k) => JSON.stringify(old[k]) !== JSON.stringify(form[k]))
          .map((k) => [k, { from: old[k], to: form[k] }]),
      );
      if (Object.keys(changes).length > 0) {
        await updateDepartment(trx, departmentId, form);
        await appendEvent(trx, {
          entityType: 'department',
          entityId: departmentId,
          action: 'update_settings',
          actorId: actor.id,
          payload: { changes },
          at: now,
        });
      }
      return { ok: true as const, value: form.acronymEn.toLowerCase() };
    });
  } catch (error) {
    // Another department took the acronym between the check and the update.
    if (isUniqueViolation(error)) return refuse('acronymEn', 'admin.errors.acronymTaken');
    throw error;
  }
}

function refuseRole(role: Role, field: string): Outcome | undefined {
  // platform_admin has no department: it is never granted from a department's page.
  return role === 'platform_admin' ? refuse(field, 'admin.errors.platformAdmin') : undefined;
}

/**
 * Brings a person into the department with a first role. A new address becomes a staff account
 * with an invitation link to choose a password; a staff account that exists is told by email.
 * The grant and the invitation are both audit events.
 */
export async function inviteStaff(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  form: InviteForm,
): Promise<Outcome> {
  const refused = refuseRole(form.role, 'inviteRole');
  if (refused) return refused;
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      const department = await findDepartment(trx, departmentId);
      if (!department) return refuse('form', 'admin.errors.departmentGone');
      const existing = await findUserByEmail(trx, form.email);
      if (existing?.kind === 'supplier') return refuse('inviteEmail', 'admin.errors.supplier');
      const userId =
        existing?.id ??
        (await insertStaffUser(
          trx,
          { email: form.email, displayName: form.displayName, language: form.language },
          now,
        ));
      if (await holdsRole(trx, userId, departmentId, form.role)) {
        return refuse('inviteRole', 'admin.errors.alreadyHolds');
      }
      const grantId = await insertGrant(
        trx,
        { userId, departmentId, role: form.role, limitCents: form.limitCents },
        actor.id,
        now,
      );
      // Someone invited before who never chose a password gets a fresh link.
      const needsPassword = !existing?.password_hash;
      const token = needsPassword
        ? await issueToken(trx, userId, 'invitation', now, INVITATION_LIFETIME_MS)
        : undefined;
      const link = (lang: Lang) =>
        deps.config.PUBLIC_URL +
        (token ? url('acceptInvitation', { token }, lang) : url('signIn', {}, lang));
      await enqueueEmail(
        trx,
        {
          idempotencyKey: `staff-invitation:${grantId}`,
          template: 'staff-invitation',
          to: existing?.email ?? form.email,
          language: existing?.preferred_language ?? form.language,
          data: {
            department: { en: department.name_en, fr: department.name_fr },
            role: form.role,
            newAccount: needsPassword,
            link: { en: link('en'), fr: link('fr') },
          },
        },
        now,
      );
      await appendEvent(trx, {
        entityType: 'department',
        entityId: departmentId,
        action: 'invite_staff',
        actorId: actor.id,
        payload: { userId, email: form.email, role: form.role, grantId, newAccount: !existing },
        at: now,
      });
      await appendEvent(trx, {
        entityType: 'role_grant',
        entityId: grantId,
        action: 'grant_role',
        actorId: actor.id,
        payload: { userId, departmentId, role: form.role, delegatedLimitCents: form.limitCents },
        at: now,
      });
      return { ok: true as const, value: undefined };
    });
  } catch (error) {
    // A second submission of the same invitation, racing the first.
    if (isUniqueViolation(error)) return refuse('inviteEmail', 'admin.errors.alreadyHolds');
    throw error;
  }
}

/** Grants one more role to a person who is already on the department's staff. */
export async function grantRole(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  form: GrantForm,
): Promise<Outcome> {
  const refused = refuseRole(form.role, 'grantRole');
  if (refused) return refused;
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      if (!(await isStaffOf(trx, form.userId, departmentId))) {
        return refuse('grantUser', 'admin.errors.person');
      }
      if (await holdsRole(trx, form.userId, departmentId, form.role)) {
        return refuse('grantRole', 'admin.errors.alreadyHolds');
      }
      const grantId = await insertGrant(
        trx,
        { userId: form.userId, departmentId, role: form.role, limitCents: form.limitCents },
        actor.id,
        now,
      );
      await appendEvent(trx, {
        entityType: 'role_grant',
        entityId: grantId,
        action: 'grant_role',
        actorId: actor.id,
        payload: {
          userId: form.userId,
          departmentId,
          role: form.role,
          delegatedLimitCents: form.limitCents,
        },
        at: now,
      });
      return { ok: true as const, value: undefined };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse('grantRole', 'admin.errors.alreadyHolds');
    throw error;
  }
}

/** Ends a grant of this department. Nobody removes their own department administrator role. */
export async function revokeRole(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  grantId: number,
): Promise<Outcome> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const grant = await findActiveGrant(trx, departmentId, grantId);
    if (!grant) return refuse('grants', 'admin.errors.grantGone');
    if (grant.userId === actor.id && grant.role === 'department_admin') {
      return refuse('grants', 'admin.errors.ownAdmin');
    }
    if (!(await revokeGrant(trx, departmentId, grantId, actor.id, now))) {
      return refuse('grants', 'admin.errors.grantGone');
    }
    await appendEvent(trx, {
      entityType: 'role_grant',
      entityId: grantId,
      action: 'revoke_role',
      actorId: actor.id,
      payload: {
        userId: grant.userId,
        departmentId,
        role: grant.role,
        delegatedLimitCents: grant.limitCents,
      },
      at: now,
    });
    return { ok: true as const, value: undefined };
  });
}

export interface StaffMember {
  userId: number;
  email: string;
  displayName: string;
  grants: StaffGrant[];
}

/** The department's staff, one entry per person with their active roles. */
export async function departmentStaff(deps: AppDeps, departmentId: number): Promise<StaffMember[]> {
  const members = new Map<number, StaffMember>();
  for (const grant of await activeDepartmentGrants(deps.db, departmentId)) {
    const member = members.get(grant.userId) ?? {
      userId: grant.userId,
      email: grant.email,
      displayName: grant.displayName,
      grants: [],
    };
    member.grants.push(grant);
    members.set(grant.userId, member);
  }
  return [...members.values()];
}

/** Sets the password of an invited person from their link; false if the link does not work. */
export async function acceptInvitation(
  deps: AppDeps,
  token: string,
  password: string,
): Promise<boolean> {
  const now = deps.clock.now();
  // A made-up or spent link costs one indexed read, never an argon2 hash (review L3).
  if ((await tokenHolder(deps.db, token, 'invitation', now)) === undefined) return false;
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (trx) => {
    // Used up between the check and now (a second tab): still refused, atomically.
    const userId = await consumeToken(trx, token, 'invitation', now);
    if (!userId) return false;
    await setPasswordFromLink(trx, userId, passwordHash, 'invitation', now);
    return true;
  });
}
