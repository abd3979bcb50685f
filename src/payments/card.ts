import type { Knex } from 'knex';
import { invoiceMachine } from '../invoices/machine.ts';
import { create, transition, TransitionError } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate } from '../platform/dates.ts';
import { isCardPayment } from '../platform/payment-methods.ts';
import { tellSupplierPaidByCard } from './emails.ts';
import { paymentMachine } from './machine.ts';

type CardMethod = 'card_direct' | 'card_paypal_checkout';

export interface CardPayment {
  invoiceId: number;
  method: CardMethod;
  cardId: number;
  last4: string;
  authorizationCode: string;
  /** The day the card was charged, `YYYY-MM-DD`. */
  paidOn: string;
  amountCents: number;
  /** The card's temporary limit increase, when the invoice is above its per-transaction limit. */
  limitIncreaseReference?: string;
}

/**
 * Why a card payment is refused; each names the form's field it is about (the route shows the
 * message there), or `form` for the invoice as a whole.
 */
export type CardRefusal =
  | { code: 'not_certified'; field: 'form' }
  | { code: 'already_paid'; field: 'form' }
  | { code: 'certifier_pays'; field: 'form' }
  | { code: 'method_not_allowed'; field: 'method' }
  | { code: 'no_exemption'; field: 'method' }
  | { code: 'card_unknown'; field: 'card' }
  | { code: 'last4_mismatch'; field: 'last4' }
  | { code: 'amount_mismatch'; field: 'amount'; values: { amountCents: number } }
  | { code: 'over_limit'; field: 'limitIncrease'; values: { limitCents: number } }
  | { code: 'paid_on_future'; field: 'paidOn' };

export class CardPaymentRefused extends Error {
  constructor(readonly refusal: CardRefusal) {
    super(`card payment refused: ${refusal.code}`);
  }
}

const livePaymentStatuses = ['pending', 'sent', 'paid', 'confirmed'];

const refuse = (refusal: CardRefusal): never => {
  throw new CardPaymentRefused(refusal);
};

/** A second payment for the invoice, found by the one-live-payment index. */
export const isUniqueViolation = (error: unknown) =>
  (error as { code?: string } | null)?.code === '23505' &&
  (error as { constraint?: string }).constraint === 'payments_one_live_per_invoice';

/**
 * Section 33 by acquisition card: the finance officer records the charge made on the department's
 * card (last 4 digits, authorization code, date, channel, the department's card exemption) and
 * the payment is made at once: created, paid (`pay_by_card`, duty pay) and the invoice marked
 * paid, in the caller's transaction. Clicks and concurrent requests queue on the invoice's row:
 * the first pays, the others find it paid (and the database's one-live-payment index is the last
 * word). The supplier is told and asked to confirm the money arrived.
 */
export async function payByCard(
  trx: Knex.Transaction,
  actor: CurrentUser,
  input: CardPayment,
  now: Date,
): Promise<{ paymentId: number }> {
  const invoice = await trx('invoices').where({ id: input.invoiceId }).forUpdate().first();
  if (!invoice) throw new TransitionError({ kind: 'not_found' });
  const live = await trx('payments')
    .where({ invoice_id: invoice.id })
    .whereIn('status', livePaymentStatuses)
    .first('id');
  if (live || invoice.status === 'paid') refuse({ code: 'already_paid', field: 'form' });
  if (invoice.status !== 'certified') refuse({ code: 'not_certified', field: 'form' });
  // Sections 33 and 34 are never one person's (the database refuses it too): said plainly here,
  // before anything is written.
  const certification = await trx('invoice_certifications')
    .where({ invoice_id: invoice.id })
    .first('certified_by');
  if (Number(certification?.certified_by) === actor.id) {
    refuse({ code: 'certifier_pays', field: 'form' });
  }

  const department = await trx('departments')
    .where({ id: invoice.department_id })
    .first('payment_methods', 'card_exemption_reference');
  const exemption = String(department?.card_exemption_reference ?? '').trim();
  if (!isCardPayment(input.method) || !department?.payment_methods?.includes(input.method)) {
    refuse({ code: 'method_not_allowed', field: 'method' });
  }
  if (!exemption) refuse({ code: 'no_exemption', field: 'method' });
  const card = await trx('acquisition_cards')
    .where({ id: input.cardId, department_id: invoice.department_id, active: true })
    .first('id', 'last4', 'per_transaction_limit_cents');
  if (!card) return refuse({ code: 'card_unknown', field: 'card' });
  if (card.last4 !== input.last4) refuse({ code: 'last4_mismatch', field: 'last4' });
  const amountCents = Number(invoice.amount_cents);
  if (input.amountCents !== amountCents) {
    refuse({ code: 'amount_mismatch', field: 'amount', values: { amountCents } });
  }
  const limitCents = Number(card.per_transaction_limit_cents);
  const increase = input.limitIncreaseReference?.trim() || null;
  if (amountCents > limitCents && !increase) {
    refuse({ code: 'over_limit', field: 'limitIncrease', values: { limitCents } });
  }

  // A charge already made: never a date after today, in Toronto.
  if (input.paidOn > easternDate(now)) refuse({ code: 'paid_on_future', field: 'paidOn' });

  const { id } = await create(trx, paymentMachine, {
    values: {
      opportunity_id: invoice.opportunity_id,
      department_id: invoice.department_id,
      invoice_id: invoice.id,
      supplier_id: invoice.supplier_id,
      amount_cents: amountCents,
      method: input.method,
      requested_by: actor.id,
      paid_on: input.paidOn,
      card_id: card.id,
      card_last4: card.last4,
      card_authorization_code: input.authorizationCode.trim(),
      card_exemption_reference: exemption,
      card_limit_increase_reference: amountCents > limitCents ? increase : null,
    },
    actor,
    now,
  });
  await transition(trx, paymentMachine, {
    id,
    action: 'pay_by_card',
    actor,
    expectedVersion: 1,
    now,
    payload: { method: input.method, cardLast4: card.last4, paidOn: input.paidOn },
  });
  await transition(trx, invoiceMachine, {
    id: invoice.id,
    action: 'mark_paid',
    actor: null,
    expectedVersion: invoice.version,
    now,
    payload: { paymentId: id },
  });
  await tellSupplierPaidByCard(trx, id, now);
  return { paymentId: id };
}
