import type { Role } from '../platform/roles.ts';
import type { Duty } from './segregation.ts';
import { opportunityStatuses, type OpportunityStatus } from './states.ts';
import {
  bilingualGaps,
  byRequester,
  fundsReserved,
  meetsRequestRules,
  ownRequestUnlessProgramTeam,
  overCap,
  overDelegatedLimit,
  splittingApproved,
  splittingJustified,
  type Guard,
} from './guards.ts';

/**
 * The opportunity's lifecycle as data: which action moves it from which states to which, who
 * may take it (a role held in the opportunity's department), which FAA duty it is for the
 * segregation rules, and what must be true first. transition() is the only code that reads it.
 */
export interface TransitionDef {
  from: readonly OpportunityStatus[];
  to: OpportunityStatus;
  roles: readonly Role[];
  duty?: Duty;
  guards?: readonly Guard[];
  /** A written reason is required (declining, returning, cancelling). */
  needsReason?: boolean;
}

/** Cancellation is possible until the award (DOMAIN.md: "cancelled (before award)"). */
const beforeAward = opportunityStatuses
  .slice(0, opportunityStatuses.indexOf('awarded'))
  .filter((status) => status !== 'declined');

export const opportunityTransitions = {
  submit: {
    from: ['draft'],
    to: 'submitted',
    roles: ['client'],
    duty: 'request',
    guards: [byRequester, overCap, meetsRequestRules, splittingJustified],
  },
  return_to_client: {
    from: ['submitted'],
    to: 'draft',
    roles: ['program_officer'],
    needsReason: true,
  },
  decline: { from: ['submitted'], to: 'declined', roles: ['program_officer'], needsReason: true },
  screen: {
    from: ['submitted'],
    to: 'screened',
    roles: ['program_officer'],
    guards: [overCap, meetsRequestRules, splittingApproved],
  },
  approve_funds: {
    from: ['screened'],
    to: 'funds_approved',
    roles: ['section32_manager'],
    duty: 'approve_funds',
    guards: [overCap, meetsRequestRules, splittingApproved, overDelegatedLimit],
  },
  complete_translation: {
    from: ['funds_approved'],
    to: 'translated',
    roles: ['program_officer'],
    guards: [bilingualGaps],
  },
  approve_preview: {
    from: ['translated'],
    to: 'ready',
    roles: ['client'],
    guards: [byRequester, bilingualGaps],
  },
  publish: {
    from: ['ready'],
    to: 'published',
    roles: ['program_officer'],
    guards: [overCap, meetsRequestRules, splittingApproved, fundsReserved, bilingualGaps],
  },
  close: { from: ['published'], to: 'closed', roles: [] },
  cancel: {
    from: beforeAward,
    to: 'cancelled',
    roles: ['program_officer', 'client'],
    guards: [ownRequestUnlessProgramTeam],
    needsReason: true,
  },
} as const satisfies Record<string, TransitionDef>;

export type OpportunityAction = keyof typeof opportunityTransitions;

export function isOpportunityAction(action: string): action is OpportunityAction {
  return Object.hasOwn(opportunityTransitions, action);
}
