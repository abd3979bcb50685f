import type { Machine, TransitionDef } from '../lifecycle/machine.ts';
import {
  afterTermination,
  bilingualGaps,
  byRequester,
  fundsReserved,
  meetsRequestRules,
  ownRequestUnlessProgramTeam,
  overCap,
  overDelegatedLimit,
  splittingApproved,
  splittingJustified,
} from './guards.ts';
import type { OpportunityRow } from './row.ts';
import { cancellableStatuses, opportunityStatuses, type OpportunityStatus } from './states.ts';

type Step = TransitionDef<OpportunityRow, OpportunityStatus>;

/**
 * The opportunity's lifecycle as data: which action moves it from which states to which, who
 * may take it (a role held in the opportunity's department; none for the system), which FAA
 * duty it is for segregation of duties, and what must be true first. Only the engine
 * (src/lifecycle/transition.ts) reads it; pages ask it what a person may do now.
 */
const transitions = {
  submit: {
    from: ['draft'],
    to: 'submitted',
    roles: ['client'],
    duty: 'request',
    who: byRequester,
    guards: [overCap, meetsRequestRules, splittingJustified],
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
    who: byRequester,
    guards: [bilingualGaps],
  },
  publish: {
    from: ['ready'],
    to: 'published',
    roles: ['program_officer'],
    guards: [overCap, meetsRequestRules, splittingApproved, fundsReserved, bilingualGaps],
  },
  close: { from: ['published'], to: 'closed', roles: [] },
  // After the deadline: the evaluation, the draw and the award (the applications issue adds
  // the guards and the screens; the contract machine drives `award`).
  // The evaluator's lock (src/evaluation/): the requester, or a client or program officer named.
  complete_evaluation: {
    from: ['closed'],
    to: 'evaluated',
    roles: ['client', 'program_officer'],
    duty: 'evaluate',
  },
  find_no_qualified_applicant: {
    from: ['closed', 'evaluated'],
    to: 'no_qualified_applicant',
    roles: ['client', 'program_officer'],
  },
  // Right after the evaluator's lock, in its transaction (src/evaluation/); the order is the
  // draw's (src/draw/), which nobody can steer.
  draw: { from: ['evaluated'], to: 'drawn', roles: ['client', 'program_officer'] },
  award: { from: ['drawn'], to: 'awarded', roles: [] },
  complete: { from: ['awarded'], to: 'completed', roles: [] },
  // After a contract is terminated for non-delivery (src/contracts/termination.ts): the next
  // passing applicant in the draw order is offered the work (back to drawn, then awarded again
  // when they accept), or the opportunity ends, awarded or after no one left accepted it.
  offer_next_in_line: {
    from: ['awarded'],
    to: 'drawn',
    roles: ['client', 'program_officer'],
    guards: [afterTermination],
  },
  terminate: {
    from: ['awarded', 'drawn'],
    to: 'terminated',
    roles: ['client', 'program_officer'],
    needsReason: true,
    guards: [afterTermination],
  },
  // The next in line declined or let the offer lapse and no one is left: the system ends it.
  end_after_termination: {
    from: ['drawn'],
    to: 'terminated',
    roles: [],
    guards: [afterTermination],
  },
  cancel: {
    from: cancellableStatuses,
    to: 'cancelled',
    roles: ['program_officer', 'client'],
    who: ownRequestUnlessProgramTeam,
    needsReason: true,
  },
} as const satisfies Record<string, Step>;

export type OpportunityAction = keyof typeof transitions;

export const opportunityMachine: Machine<OpportunityRow, OpportunityStatus, OpportunityAction> = {
  entity: 'opportunity',
  table: 'opportunities',
  states: opportunityStatuses,
  initial: 'draft',
  creation: { roles: ['client'] },
  transitions,
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.id,
};
