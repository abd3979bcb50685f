import type { Machine, StatefulRow } from '../lifecycle/machine.ts';

/**
 * Section 33: the finance officer pays a certified invoice (by acquisition card or PayPal); a
 * PayPal payout may fail and be retried; the supplier confirms the money arrived.
 */
const paymentStatuses = ['pending', 'failed', 'paid', 'confirmed'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export interface PaymentRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  invoice_id: number;
  supplier_id: number;
  amount_cents: number;
}

export const paymentMachine: Machine<PaymentRow, PaymentStatus> = {
  entity: 'payment',
  table: 'payments',
  states: paymentStatuses,
  initial: 'pending',
  creation: { roles: ['finance_officer'] },
  transitions: {
    pay: { from: ['pending', 'failed'], to: 'paid', roles: ['finance_officer'], duty: 'pay' },
    fail_payment: { from: ['pending'], to: 'failed', roles: [] },
    confirm_receipt: { from: ['paid'], to: 'confirmed', roles: 'supplier' },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
