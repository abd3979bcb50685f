import { hashPassword } from '../accounts/passwords.ts';
import type { Knex } from 'knex';
import { findUserByEmail, setPasswordFromLink, type UserRow } from '../accounts/repo.ts';
import { consumeToken, tokenHolder } from '../accounts/tokens.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { needsConfirmation } from './grant-proposal-machine.ts';
import { proposalRefusalKey, proposeGrant } from './grant-proposals.ts';
import { sendInvitation } from './invitation-email.ts';
import {
  appendEvent,
  findDepartment,
  hasOpenProposal,
  holdsRole,
  insertGrant,
  insertStaffUser,
  type DepartmentRow,
} from './repo.ts';
import type { InviteForm } from './schemas.ts';
import { isPlatformAdmin, refuse, roleRefusal, type Outcome } from './rules.ts';

/** The part of an address after its last @, in lower case. */
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Is this address on one of the department's email domains (review H2)? */
const withinDomains = (department: Pick<DepartmentRow, 'email_domains'>, email: string) =>
  department.email_domains.includes(domainOf(email));

/** One email an hour at most, whoever invites the address how often. */
async function tellSupplier(
  trx: Knex.Transaction,
  department: DepartmentRow,
  supplier: UserRow,
  now: Date,
): Promise<void> {
  const hour = Math.floor(now.getTime() / 3_600_000);
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `staff-invitation-supplier:${department.id}:${supplier.id}:${hour}`,
      template: 'staff-invitation-supplier',
      to: supplier.email,
      language: supplier.preferred_language,
      data: { department: { en: department.name_en, fr: department.name_fr } },
    },
    now,
  );
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/**
 * Brings a person into the department with a first role. The address must be on one of the
 * department's email domains; a platform administrator may go past them, and the event says so.
 * A new address becomes a staff account. A role that takes two administrators is proposed, and
 * the invitation leaves once the second one confirms it; any other is granted now and the
 * invitation leaves at once. Events: the invitation, then the grant or its proposal.
 */
export async function inviteStaff(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  form: InviteForm,
): Promise<Outcome<'invite' | 'proposed'>> {
  const refused = roleRefusal(actor, departmentId, form.role, 'inviteRole');
  if (refused) return refused;
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (trx) => {
      const department = await findDepartment(trx, departmentId);
      if (!department) return refuse('form', 'admin.errors.departmentGone');
      const outsideDomains = !withinDomains(department, form.email);
      if (outsideDomains && !isPlatformAdmin(actor)) {
        return department.email_domains.length === 0
          ? refuse('inviteEmail', 'admin.errors.noDomains')
          : refuse('inviteEmail', 'admin.errors.outsideDomains', {
              domains: department.email_domains.join(', '),
            });
      }
      const existing = await findUserByEmail(trx, form.email);
      if (existing?.kind === 'supplier') {
        // Review I5: the administrator gets the answer any invitation gets, and learns nothing of
        // the account; the address's owner is told why no role came.
        await tellSupplier(trx, department, existing, now);
        await appendEvent(trx, {
          entityType: 'department',
          entityId: departmentId,
          action: 'invite_staff',
          actorId: actor.id,
          payload: {
            userId: existing.id,
            email: form.email,
            role: form.role,
            supplierAccount: true,
          },
          at: now,
        });
        return { ok: true as const, value: needsConfirmation(form.role) ? 'proposed' : 'invite' };
      }
      if (existing?.id === actor.id) return refuse('inviteEmail', 'admin.errors.ownGrant');
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
      const invitation = {
        userId,
        email: form.email,
        role: form.role,
        newAccount: !existing,
        ...(outsideDomains ? { outsideDomains: true } : {}),
      };
      if (needsConfirmation(form.role)) {
        if (await hasOpenProposal(trx, userId, departmentId, form.role)) {
          return refuse('inviteRole', 'admin.errors.alreadyProposed');
        }
        const proposalId = await proposeGrant(
          trx,
          deps,
          actor,
          department,
          {
            userId,
            role: form.role,
            limitCents: form.limitCents,
            delegationReference: form.delegationReference,
            invited: true,
          },
          now,
        );
        await appendEvent(trx, {
          entityType: 'department',
          entityId: departmentId,
          action: 'invite_staff',
          actorId: actor.id,
          payload: { ...invitation, proposalId },
          at: now,
        });
        return { ok: true as const, value: 'proposed' as const };
      }
      const grantId = await insertGrant(
        trx,
        { userId, departmentId, role: form.role, limitCents: form.limitCents },
        actor.id,
        now,
      );
      await sendInvitation(
        trx,
        deps,
        department,
        { userId, role: form.role, key: `${grantId}` },
        now,
      );
      await appendEvent(trx, {
        entityType: 'department',
        entityId: departmentId,
        action: 'invite_staff',
        actorId: actor.id,
        payload: { ...invitation, grantId },
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
      return { ok: true as const, value: 'invite' as const };
    });
  } catch (error) {
    // A second submission of the same invitation, racing the first.
    if (isUniqueViolation(error)) return refuse('inviteEmail', 'admin.errors.alreadyHolds');
    if (error instanceof TransitionError) {
      return refuse('inviteEmail', proposalRefusalKey(error.failure));
    }
    throw error;
  }
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
