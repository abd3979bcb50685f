import type { Machine, StatefulRow } from '../lifecycle/machine.ts';
import type { PaymentMethod } from '../platform/payment-methods.ts';

/**
 * Section 33: the finance officer or cardholder pays a certified invoice — never its section 34
 * certifier (the duty `pay`, and the database's payments_follow_certification trigger). By card
 * the payment is recorded as made at once; by PayPal the payout is sent, then settles or fails
 * from PayPal's answer; an unclaimed payout can be cancelled and the invoice paid another way.
 * The supplier confirms the money arrived. One live payment per invoice (database index).
 */
const paymentStates = ['pending', 'sent', 'paid', 'failed', 'cancelled', 'confirmed'] as const;
export type PaymentStatus = (typeof paymentStates)[number];

export interface PaymentRow extends StatefulRow {
  opportunity_id: number;
  department_id: number;
  invoice_id: number;
  supplier_id: number;
  amount_cents: number;
  method: PaymentMethod;
  requested_by: number;
}

export const paymentMachine: Machine<PaymentRow, PaymentStatus> = {
  entity: 'payment',
  table: 'payments',
  states: paymentStates,
  initial: 'pending',
  creation: { roles: ['finance_officer'] },
  transitions: {
    pay_by_card: { from: ['pending'], to: 'paid', roles: ['finance_officer'], duty: 'pay' },
    send_payout: { from: ['pending'], to: 'sent', roles: ['finance_officer'], duty: 'pay' },
    settle_payout: { from: ['sent'], to: 'paid', roles: [] },
    fail_payout: { from: ['sent'], to: 'failed', roles: [] },
    cancel_payout: { from: ['sent'], to: 'cancelled', roles: ['finance_officer'] },
    confirm_receipt: { from: ['paid'], to: 'confirmed', roles: 'supplier' },
  },
  departmentOf: (row) => row.department_id,
  opportunityOf: (row) => row.opportunity_id,
  supplierOf: (row) => row.supplier_id,
};
