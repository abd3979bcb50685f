import type { Machine, StatefulRow } from '../lifecycle/machine.ts';

/**
 * A supplier's application to one opportunity (one per supplier, unique in the database). The
 * supplier drafts, submits, reopens and withdraws until the deadline; after it, the client's
 * evaluation passes or fails it. The applications issue adds the deadline guards, the answers
 * and the per-criterion evaluation.
 */
const applicationStatuses = ['draft', 'submitted', 'withdrawn', 'passed', 'failed'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export interface ApplicationRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  supplier_id: number;
}

export const applicationMachine: Machine<ApplicationRow, ApplicationStatus> = {
  entity: 'application',
  table: 'applications',
  states: applicationStatuses,
  initial: 'draft',
  creation: { roles: 'supplier' },
  transitions: {
    submit: { from: ['draft'], to: 'submitted', roles: 'supplier' },
    reopen: { from: ['submitted'], to: 'draft', roles: 'supplier' },
    withdraw: { from: ['draft', 'submitted'], to: 'withdrawn', roles: 'supplier' },
    pass: { from: ['submitted'], to: 'passed', roles: ['client'], duty: 'evaluate' },
    fail: { from: ['submitted'], to: 'failed', roles: ['client'], duty: 'evaluate' },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
