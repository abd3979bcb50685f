import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { sendInvitation } from './invitation-email.ts';
import { activeDepartmentGrants, appendEvent, findDepartment, revokeGrant } from './repo.ts';
import { refuse, type Outcome } from './rules.ts';

/**
 * An invitation is pending while the invited person has not chosen a password from its link.
 * Resending it spends the links sent before and emails a fresh one; revoking it spends the
 * links and ends the person's roles in the department, each with its event.
 */
async function pendingMember(trx: Knex.Transaction, departmentId: number, userId: number) {
  const user: { id: number; password_hash: string | null } | undefined = await trx('users')
    .where({ id: userId, kind: 'staff' })
    .whereNull('closed_at')
    .forUpdate()
    .first('id', 'password_hash');
  if (!user || user.password_hash) return undefined;
  const grants = (await activeDepartmentGrants(trx, departmentId)).filter(
    (g) => g.userId === userId,
  );
  return grants.length ? grants : undefined;
}

const spendLinks = (trx: Knex.Transaction, userId: number, now: Date) =>
  trx('account_tokens')
    .where({ user_id: userId, purpose: 'invitation' })
    .whereNull('used_at')
    .update({ used_at: now });

export async function resendInvitation(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  userId: number,
): Promise<Outcome<'resent'>> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const department = await findDepartment(trx, departmentId);
    const grants = department && (await pendingMember(trx, departmentId, userId));
    if (!department || !grants) return refuse('grants', 'admin.errors.invitationGone');
    await spendLinks(trx, userId, now);
    const first = grants[0]!;
    await sendInvitation(
      trx,
      deps,
      department,
      { userId, role: first.role, key: `${first.id}:resent:${now.getTime()}` },
      now,
    );
    await appendEvent(trx, {
      entityType: 'department',
      entityId: departmentId,
      action: 'resend_invitation',
      actorId: actor.id,
      payload: { userId, roles: grants.map((g) => g.role) },
      at: now,
    });
    return { ok: true as const, value: 'resent' as const };
  });
}

export async function revokeInvitation(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  userId: number,
): Promise<Outcome<'invitationRevoked'>> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const grants = await pendingMember(trx, departmentId, userId);
    if (!grants) return refuse('grants', 'admin.errors.invitationGone');
    for (const grant of grants) {
      if (!(await revokeGrant(trx, departmentId, grant.id, actor.id, now))) continue;
      await appendEvent(trx, {
        entityType: 'role_grant',
        entityId: grant.id,
        action: 'revoke_role',
        actorId: actor.id,
        payload: { userId, departmentId, role: grant.role, delegatedLimitCents: grant.limitCents },
        at: now,
      });
    }
    // The link names the person, not the department: spent only when no other role awaits it.
    const elsewhere = await trx('role_grants')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .first('id');
    if (!elsewhere) await spendLinks(trx, userId, now);
    await appendEvent(trx, {
      entityType: 'department',
      entityId: departmentId,
      action: 'revoke_invitation',
      actorId: actor.id,
      payload: { userId, roles: grants.map((g) => g.role) },
      at: now,
    });
    return { ok: true as const, value: 'invitationRevoked' as const };
  });
}
