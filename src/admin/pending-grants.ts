import { availableActions } from '../lifecycle/access.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { grantProposalMachine, type GrantProposalRow } from './grant-proposal-machine.ts';
import { departmentSlug, pendingGrants, type PendingGrant } from './repo.ts';
import type { Db } from '../db/knex.ts';
import { url } from '../platform/routes.ts';

const personOf = (name: string, email: string) => (name ? `${name} (${email})` : email);

/** What this person may do with a proposal now: the machine answers, as on every page. */
function proposalActions(pending: PendingGrant, viewer: CurrentUser) {
  const row = {
    id: pending.id,
    status: 'proposed',
    version: pending.version,
    department_id: pending.departmentId,
    user_id: pending.userId,
    role: pending.role,
    proposed_by: pending.proposedBy,
  } as GrantProposalRow;
  return availableActions(grantProposalMachine, row, viewer);
}

/** The staff page's grants awaiting a second administrator, with the buttons this person has. */
export function presentPendingGrants(
  pending: readonly PendingGrant[],
  viewer: CurrentUser,
  lang: Lang,
  t: Translate,
) {
  return pending.map((p) => {
    const actions = proposalActions(p, viewer);
    return {
      id: p.id,
      version: p.version,
      person: personOf(p.displayName, p.email),
      role: t(`roles.${p.role}`),
      limit: p.limitCents === null ? '' : formatMoney(p.limitCents, lang),
      delegationReference: p.delegationReference ?? '',
      proposer: personOf(p.proposerName, p.proposerEmail),
      since: formatDeadline(p.proposedAt, lang),
      sinceIso: p.proposedAt.toISOString(),
      mine: p.proposedBy === viewer.id,
      canConfirm: actions.includes('confirm'),
      canDecline: actions.includes('decline'),
    };
  });
}

/**
 * The proposed grants this person would confirm, in the departments they administer: their part
 * of "Needs attention".
 */
export async function grantsToConfirm(db: Db, viewer: CurrentUser): Promise<PendingGrant[]> {
  const departments = viewer.grants.flatMap((g) =>
    g.role === 'department_admin' && g.departmentId !== null ? [g.departmentId] : [],
  );
  if (departments.length === 0) return [];
  const pending = await pendingGrants(db, departments);
  return pending.filter((p) => proposalActions(p, viewer).includes('confirm'));
}

/** "Needs attention" rows: who, which role, where, since when, and the staff page to act on. */
export function presentGrantsToConfirm(pending: readonly PendingGrant[], lang: Lang, t: Translate) {
  return pending.map((p) => ({
    person: personOf(p.displayName, p.email),
    role: t(`roles.${p.role}`),
    department: p.departmentAcronym[lang],
    proposer: personOf(p.proposerName, p.proposerEmail),
    since: formatDeadline(p.proposedAt, lang),
    sinceIso: p.proposedAt.toISOString(),
    href: `${url('adminStaff', { dept: departmentSlug({ acronym_en: p.departmentAcronym.en }) }, lang)}#proposal-${p.id}`,
  }));
}
