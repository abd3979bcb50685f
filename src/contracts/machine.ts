import type { Machine, StatefulRow } from '../lifecycle/machine.ts';

/**
 * One contract per offer to a supplier, in the draw order: a decline, a lapse (no answer in
 * time) or a termination ends this one, and the next passing applicant gets a contract of
 * their own. The contracts issue adds the terms, the check-in, delivery and acceptance screens.
 */
const contractStatuses = [
  'offered',
  'declined',
  'lapsed',
  'in_progress',
  'delivered',
  'accepted',
  'completed',
  'terminated',
] as const;
export type ContractStatus = (typeof contractStatuses)[number];

export interface ContractRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  application_id: number;
  supplier_id: number;
  draw_position: number;
}

export const contractMachine: Machine<ContractRow, ContractStatus> = {
  entity: 'contract',
  table: 'contracts',
  states: contractStatuses,
  initial: 'offered',
  // Offers are made by the system, in the draw order (src/offers/offer-next.ts): nobody picks.
  creation: { roles: [] },
  transitions: {
    accept_terms: { from: ['offered'], to: 'in_progress', roles: 'supplier' },
    decline_offer: { from: ['offered'], to: 'declined', roles: 'supplier' },
    lapse: { from: ['offered'], to: 'lapsed', roles: [] },
    deliver: { from: ['in_progress'], to: 'delivered', roles: 'supplier' },
    request_revisions: {
      from: ['delivered'],
      to: 'in_progress',
      roles: ['client'],
      needsReason: true,
    },
    accept_work: { from: ['delivered'], to: 'accepted', roles: ['client'] },
    complete_contract: { from: ['accepted'], to: 'completed', roles: [] },
    terminate_contract: {
      from: ['in_progress', 'delivered'],
      to: 'terminated',
      roles: ['client', 'program_officer'],
      needsReason: true,
    },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
