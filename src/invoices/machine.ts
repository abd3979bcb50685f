import type { Machine, StatefulRow } from '../lifecycle/machine.ts';

/**
 * The supplier's invoice for accepted work. Section 34 certifies it (work performed, price as
 * contracted); the payment machine pays it. The payments issue adds the invoice itself.
 */
const invoiceStatuses = ['submitted', 'returned', 'certified', 'paid'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export interface InvoiceRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  contract_id: number;
  supplier_id: number;
  amount_cents: number;
}

export const invoiceMachine: Machine<InvoiceRow, InvoiceStatus> = {
  entity: 'invoice',
  table: 'invoices',
  states: invoiceStatuses,
  initial: 'submitted',
  creation: { roles: 'supplier' },
  transitions: {
    certify: {
      from: ['submitted'],
      to: 'certified',
      roles: ['section34_manager'],
      duty: 'certify',
    },
    return_invoice: {
      from: ['submitted'],
      to: 'returned',
      roles: ['section34_manager'],
      needsReason: true,
    },
    resubmit: { from: ['returned'], to: 'submitted', roles: 'supplier' },
    mark_paid: { from: ['certified'], to: 'paid', roles: [] },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
