import type { Guard, Machine, StatefulRow, TransitionDef } from '../lifecycle/machine.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { Role } from '../platform/roles.ts';

/**
 * Roles that take two administrators (review H2): FAA authority (sections 32, 34 and 33 through
 * finance) and the administration of the department itself. One administrator proposes the
 * grant, a second confirms it from their own session; only then does the grant exist. The
 * database refuses such a grant without its second person (migration 20261202000300).
 */
const confirmedRoles = [
  'section32_manager',
  'section34_manager',
  'finance_officer',
  'department_admin',
] as const satisfies readonly Role[];
export type ConfirmedRole = (typeof confirmedRoles)[number];

export const needsConfirmation = (role: Role): role is ConfirmedRole =>
  (confirmedRoles as readonly Role[]).includes(role);

const proposalStatuses = ['proposed', 'confirmed', 'declined'] as const;
type ProposalStatus = (typeof proposalStatuses)[number];

export interface GrantProposalRow extends StatefulRow {
  department_id: number;
  user_id: number;
  role: ConfirmedRole;
  delegated_limit_cents: number | null;
  delegation_reference: string | null;
  proposed_by: number;
  decided_by: number | null;
  grant_id: number | null;
  invited: boolean;
  created_at: Date;
}

/** The department's administrators, or the platform's. */
const administrators = ['department_admin', 'platform_admin'] as const satisfies readonly Role[];

/**
 * A platform administrator who does not administer the department grants only its
 * administrators (review L8): the rest of its staff is the department's own business.
 */
export const outsidePlatformScope = (actor: CurrentUser, departmentId: number, role: Role) =>
  role !== 'department_admin' && !hasRole(actor, ['department_admin'], departmentId);

const withinPlatformScope: Guard<GrantProposalRow> = ({ record, actor }) =>
  actor && outsidePlatformScope(actor, record.department_id, record.role)
    ? { code: 'platformScope' }
    : undefined;

const notForOneself: Guard<GrantProposalRow> = ({ record, actor }) =>
  actor?.id === record.user_id ? { code: 'ownGrant' } : undefined;

/** The second administrator is neither the person who proposed it nor the person it names. */
const secondAdministrator = (
  record: GrantProposalRow,
  actor: CurrentUser | null,
): { code: string } | undefined =>
  actor?.id === record.user_id
    ? { code: 'ownGrant' }
    : actor?.id === record.proposed_by
      ? { code: 'ownProposal' }
      : undefined;

type Step = TransitionDef<GrantProposalRow, ProposalStatus>;

const transitions = {
  confirm: {
    from: ['proposed'],
    to: 'confirmed',
    roles: administrators,
    who: secondAdministrator,
  },
  // Anyone who may confirm may decline instead; the proposer withdraws their own this way.
  decline: {
    from: ['proposed'],
    to: 'declined',
    roles: administrators,
    who: (record, actor) => (actor?.id === record.user_id ? { code: 'ownGrant' } : undefined),
  },
} as const satisfies Record<string, Step>;
export type GrantProposalAction = keyof typeof transitions;

/**
 * A proposed grant of a role that takes two administrators. It lives outside any opportunity's
 * file, so it declares no FAA duty: the two-person rule is its `who`, not segregation of duties.
 */
export const grantProposalMachine: Machine<GrantProposalRow, ProposalStatus, GrantProposalAction> =
  {
    entity: 'role_grant_proposal',
    table: 'role_grant_proposals',
    states: proposalStatuses,
    initial: 'proposed',
    creation: { roles: administrators, guards: [notForOneself, withinPlatformScope] },
    transitions,
    departmentOf: (row) => row.department_id,
    opportunityOf: () => null,
  };
