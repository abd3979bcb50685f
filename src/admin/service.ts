import type { AppDeps } from '../platform/deps.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import { needsConfirmation } from './grant-proposal-machine.ts';
import { proposalRefusalKey, proposeGrant } from './grant-proposals.ts';
import {
  acronymTaken,
  activeDepartmentGrants,
  appendEvent,
  findActiveGrant,
  findDepartment,
  hasOpenProposal,
  holdsRole,
  insertGrant,
  isStaffOf,
  listDepartments,
  revokeGrant,
  updateDepartment,
  type DepartmentRow,
  type DepartmentSettings,
  type StaffGrant,
} from './repo.ts';
import { isPlatformAdmin, refuse, roleRefusal, type Outcome } from './rules.ts';
import type { GrantForm, SettingsForm } from './schemas.ts';

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
    emailDomains: d.email_domains,
    secondEvaluatorRequired: d.second_evaluator_required,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/**
 * Saves a department's settings and records what changed; returns the department's new slug.
 * The email domains are the platform administrators' to set: the department's own
 * administrators invite within them, so they do not widen them (review H2).
 */
export async function updateSettings(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  typed: SettingsForm,
): Promise<Outcome<string>> {
  const taken = await acronymTaken(deps.db, departmentId, {
    en: typed.acronymEn,
    fr: typed.acronymFr,
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
      const form = isPlatformAdmin(actor) ? typed : { ...typed, emailDomains: old.emailDomains };
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

/**
 * Grants one more role to a person who is already on the department's staff — never to oneself
 * (review H2). A role that takes two administrators is only proposed: a second administrator
 * confirms it from the staff page, and the department's administrators are told by email.
 */
export async function grantRole(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  form: GrantForm,
): Promise<Outcome<'grant' | 'proposed'>> {
  const refused = roleRefusal(actor, departmentId, form.role, 'grantRole');
  if (refused) return refused;
  if (form.userId === actor.id) return refuse('grantUser', 'admin.errors.ownGrant');
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      const department = await findDepartment(trx, departmentId);
      if (!department) return refuse('form', 'admin.errors.departmentGone');
      if (!(await isStaffOf(trx, form.userId, departmentId))) {
        return refuse('grantUser', 'admin.errors.person');
      }
      if (await holdsRole(trx, form.userId, departmentId, form.role)) {
        return refuse('grantRole', 'admin.errors.alreadyHolds');
      }
      if (needsConfirmation(form.role)) {
        if (await hasOpenProposal(trx, form.userId, departmentId, form.role)) {
          return refuse('grantRole', 'admin.errors.alreadyProposed');
        }
        await proposeGrant(
          trx,
          deps,
          actor,
          department,
          {
            userId: form.userId,
            role: form.role,
            limitCents: form.limitCents,
            delegationReference: form.delegationReference,
            invited: false,
          },
          now,
        );
        return { ok: true as const, value: 'proposed' as const };
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
      return { ok: true as const, value: 'grant' as const };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse('grantRole', 'admin.errors.alreadyHolds');
    if (error instanceof TransitionError) {
      return refuse('grantUser', proposalRefusalKey(error.failure));
    }
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
