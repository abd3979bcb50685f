import type { Knex } from 'knex';
import {
  create,
  inOneTransaction,
  transition,
  type TransitionFailure,
} from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { sendInvitation } from './invitation-email.ts';
import {
  grantProposalMachine,
  type ConfirmedRole,
  type GrantProposalRow,
} from './grant-proposal-machine.ts';
import {
  appendEvent,
  departmentAdministrators,
  departmentSlug,
  findDepartment,
  insertGrant,
  platformAdministrators,
  type DepartmentRow,
} from './repo.ts';

/** Why a step on a proposal was refused: a locale key of `admin.json`. */
export type ProposalRefusal = string;

export interface ProposedGrant {
  userId: number;
  role: ConfirmedRole;
  limitCents: number | null;
  delegationReference: string | null;
  invited: boolean;
}

/** A refusal of the lifecycle, in this page's words. */
export function proposalRefusalKey(failure: TransitionFailure): ProposalRefusal {
  switch (failure.kind) {
    case 'guard':
      return `admin.errors.${failure.failure.code}`;
    case 'stale':
    case 'wrong_state':
    case 'not_found':
      return 'admin.errors.proposalGone';
    default:
      return 'admin.errors.notYours';
  }
}

/**
 * Records a grant that a second administrator must confirm, in the caller's transaction, and
 * tells the department's administrators. Throws the lifecycle's refusal (one's own grant, a
 * platform administrator outside their scope).
 */
export async function proposeGrant(
  trx: Knex.Transaction,
  deps: AppDeps,
  actor: CurrentUser,
  department: DepartmentRow,
  grant: ProposedGrant,
  now: Date,
): Promise<number> {
  const { id } = await create(trx, grantProposalMachine, {
    values: {
      department_id: department.id,
      user_id: grant.userId,
      role: grant.role,
      delegated_limit_cents: grant.limitCents,
      delegation_reference: grant.delegationReference,
      proposed_by: actor.id,
      invited: grant.invited,
    },
    actor,
    now,
    action: 'propose_grant',
    payload: {
      userId: grant.userId,
      role: grant.role,
      delegatedLimitCents: grant.limitCents,
      delegationReference: grant.delegationReference,
    },
  });
  const row: GrantProposalRow = await trx('role_grant_proposals').where({ id }).first();
  await announce(trx, deps, department, row, 'role-grant-proposed', now);
  return id;
}

/** What the staff page's confirm and decline buttons send. */
export interface ProposalDecision {
  proposalId: number;
  version: number;
}

/**
 * The second administrator confirms, from their own session: the grant then exists, naming
 * both (granted_by the proposer, confirmed_by the confirmer), and everyone is told.
 */
export async function confirmGrant(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  decision: ProposalDecision,
): Promise<{ ok: true; invited: boolean } | { ok: false; key: ProposalRefusal }> {
  const now = deps.clock.now();
  const done = await inOneTransaction(deps.db, async (trx) => {
    const row = await proposalOf(trx, departmentId, decision.proposalId);
    const department = await findDepartment(trx, departmentId);
    // Decided already (a second click, another administrator): the machine would say so too.
    if (!row || !department || row.status !== 'proposed') {
      return { ok: false as const, key: 'admin.errors.proposalGone' };
    }
    if (await holdsAlready(trx, row))
      return { ok: false as const, key: 'admin.errors.alreadyHolds' };
    const { eventId } = await transition(trx, grantProposalMachine, {
      id: row.id,
      action: 'confirm',
      actor,
      expectedVersion: decision.version,
      now,
      payload: { userId: row.user_id, role: row.role, proposedBy: row.proposed_by },
    });
    const grantId = await insertGrant(
      trx,
      {
        userId: row.user_id,
        departmentId,
        role: row.role,
        limitCents: row.delegated_limit_cents,
        delegationReference: row.delegation_reference,
        confirmedBy: actor.id,
      },
      row.proposed_by,
      now,
    );
    await trx('role_grant_proposals')
      .where({ id: row.id })
      .update({ decided_by: actor.id, grant_id: grantId });
    await appendEvent(trx, {
      entityType: 'role_grant',
      entityId: grantId,
      action: 'grant_role',
      actorId: actor.id,
      payload: {
        userId: row.user_id,
        departmentId,
        role: row.role,
        delegatedLimitCents: row.delegated_limit_cents,
        delegationReference: row.delegation_reference,
        proposalId: row.id,
        proposedBy: row.proposed_by,
        confirmedBy: actor.id,
        confirmationEventId: eventId,
      },
      at: now,
    });
    await announce(
      trx,
      deps,
      department,
      { ...row, decided_by: actor.id },
      'role-grant-confirmed',
      now,
    );
    // Proposed with an invitation: the invitee hears of their role only now that they hold it.
    if (row.invited) {
      await sendInvitation(
        trx,
        deps,
        department,
        { userId: row.user_id, role: row.role, key: `${grantId}` },
        now,
      );
    }
    return { ok: true as const, invited: row.invited };
  });
  return done.ok ? done.value : { ok: false, key: proposalRefusalKey(done.failure) };
}

/** Any administrator but the grantee declines a proposal; its proposer withdraws it this way. */
export async function declineGrant(
  deps: AppDeps,
  actor: CurrentUser,
  departmentId: number,
  decision: ProposalDecision,
): Promise<{ ok: true } | { ok: false; key: ProposalRefusal }> {
  const now = deps.clock.now();
  const done = await inOneTransaction(deps.db, async (trx) => {
    const row = await proposalOf(trx, departmentId, decision.proposalId);
    if (!row) return { ok: false as const, key: 'admin.errors.proposalGone' };
    await transition(trx, grantProposalMachine, {
      id: row.id,
      action: 'decline',
      actor,
      expectedVersion: decision.version,
      now,
      payload: { userId: row.user_id, role: row.role, proposedBy: row.proposed_by },
    });
    await trx('role_grant_proposals').where({ id: row.id }).update({ decided_by: actor.id });
    return { ok: true as const };
  });
  return done.ok ? done.value : { ok: false, key: proposalRefusalKey(done.failure) };
}

function proposalOf(
  trx: Knex.Transaction,
  departmentId: number,
  id: number,
): Promise<GrantProposalRow | undefined> {
  return trx('role_grant_proposals').where({ id, department_id: departmentId }).first();
}

async function holdsAlready(trx: Knex.Transaction, row: GrantProposalRow): Promise<boolean> {
  const found = await trx('role_grants')
    .where({ user_id: row.user_id, department_id: row.department_id, role: row.role })
    .whereNull('revoked_at')
    .first('id');
  return found !== undefined;
}

type Announcement = 'role-grant-proposed' | 'role-grant-confirmed';

/**
 * Tells the department's administrators of a grant proposed or confirmed, in both languages.
 * When nobody there but the proposer and the grantee could confirm it, the platform's
 * administrators are told too: they are the second person then.
 */
async function announce(
  trx: Knex.Transaction,
  deps: AppDeps,
  department: DepartmentRow,
  row: GrantProposalRow,
  template: Announcement,
  now: Date,
): Promise<void> {
  const admins = await departmentAdministrators(trx, department.id);
  const others = admins.filter((a) => a.id !== row.proposed_by && a.id !== row.user_id);
  const recipients =
    others.length > 0 ? admins : [...admins, ...(await platformAdministrators(trx))];
  const people = await trx('users')
    .whereIn(
      'id',
      [row.user_id, row.proposed_by, row.decided_by].filter((id) => id !== null),
    )
    .select('id', 'email', 'display_name');
  const nameOf = (id: number | null) => {
    const p = people.find((u) => Number(u.id) === id);
    return p ? (p.display_name ? `${p.display_name} (${p.email})` : p.email) : '';
  };
  const both = <T>(f: (lang: Lang) => T) => ({ en: f('en'), fr: f('fr') });
  const data = {
    department: both((lang) => (lang === 'fr' ? department.name_fr : department.name_en)),
    role: row.role,
    person: nameOf(row.user_id),
    proposer: nameOf(row.proposed_by),
    confirmer: nameOf(row.decided_by),
    limit: both((lang) =>
      row.delegated_limit_cents === null ? '' : formatMoney(row.delegated_limit_cents, lang),
    ),
    delegationReference: row.delegation_reference ?? '',
    link: both(
      (lang) =>
        `${deps.config.PUBLIC_URL}${url('adminStaff', { dept: departmentSlug(department) }, lang)}#pending`,
    ),
  };
  const seen = new Set<number>();
  for (const recipient of recipients) {
    if (seen.has(recipient.id)) continue;
    seen.add(recipient.id);
    await enqueueEmail(
      trx,
      {
        idempotencyKey: `${template}:${row.id}:${recipient.id}`,
        template,
        to: recipient.email,
        language: recipient.language,
        data,
      },
      now,
    );
  }
}
