import type { Guard, Machine, StatefulRow } from '../lifecycle/machine.ts';
import { beforeDeadline } from './deadline.ts';

/**
 * A supplier's application to one opportunity (one per supplier, unique in the database). The
 * supplier drafts, submits, revises, reopens and withdraws until the deadline, never after (the
 * guard reads the opportunity's current closing time); after it, the client's evaluation passes
 * or fails it.
 */
const applicationStatuses = ['draft', 'submitted', 'withdrawn', 'passed', 'failed'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export interface ApplicationRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  supplier_id: number;
}

export const untilTheDeadline: Guard<ApplicationRow> = ({ trx, record, now }) =>
  beforeDeadline(trx, record.opportunity_id, now);

export const applicationMachine: Machine<ApplicationRow, ApplicationStatus> = {
  entity: 'application',
  table: 'applications',
  states: applicationStatuses,
  initial: 'draft',
  // Starting one is refused after the deadline too: startApplication() reads the same rule in
  // the transaction of create() (the engine's own tests create one on a bare draft file).
  creation: { roles: 'supplier' },
  transitions: {
    submit: { from: ['draft'], to: 'submitted', roles: 'supplier', guards: [untilTheDeadline] },
    // Changes to a submitted application, or its confirmation after an addendum changed a
    // criterion: it stays submitted.
    revise: {
      from: ['submitted'],
      to: 'submitted',
      roles: 'supplier',
      guards: [untilTheDeadline],
    },
    // Back to a draft for changes; a withdrawn application can be taken up again too.
    reopen: {
      from: ['submitted', 'withdrawn'],
      to: 'draft',
      roles: 'supplier',
      guards: [untilTheDeadline],
    },
    withdraw: {
      from: ['draft', 'submitted'],
      to: 'withdrawn',
      roles: 'supplier',
      guards: [untilTheDeadline],
    },
    // The evaluator's lock (src/evaluation/): a client or program officer of the department.
    pass: {
      from: ['submitted'],
      to: 'passed',
      roles: ['client', 'program_officer'],
      duty: 'evaluate',
    },
    fail: {
      from: ['submitted'],
      to: 'failed',
      roles: ['client', 'program_officer'],
      duty: 'evaluate',
    },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
