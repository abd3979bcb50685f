import type { Db } from '../../db/knex.ts';
import { MAX_SEND_ATTEMPTS } from './payouts.ts';

/**
 * What finance and the supplier are shown of a PayPal payout: one state, each with its next
 * step (locales paypal.states.<state>): sending (PayPal not reached yet, retried), stuck (retries
 * stopped), refused (PayPal refused the request: nothing paid), PayPal's own item states, and
 * cancelled (an unclaimed payout given back, to be paid another way).
 */
const itemStates = [
  'PENDING',
  'SUCCESS',
  'UNCLAIMED',
  'RETURNED',
  'FAILED',
  'BLOCKED',
  'ONHOLD',
  'REFUNDED',
  'REVERSED',
] as const;
type PayoutState = 'sending' | 'stuck' | 'refused' | 'cancelled' | (typeof itemStates)[number];

export interface PayoutSummary {
  paymentId: number;
  paymentStatus: string;
  version: number;
  state: PayoutState;
  receiver: string;
  senderBatchId: string;
  batchId: string | null;
  itemId: string | null;
  error: string | null;
  problem: string | null;
  attempts: number;
  canCancel: boolean;
}

interface Row {
  payment_id: string;
  status: string;
  version: number;
  receiver: string;
  sender_batch_id: string;
  payout_batch_id: string | null;
  payout_item_id: string | null;
  item_status: string | null;
  item_error: string | null;
  last_problem: string | null;
  send_attempts: number;
}

function stateOf(row: Row): PayoutState {
  if (row.status === 'cancelled') return 'cancelled';
  const item = (itemStates as readonly string[]).includes(row.item_status ?? '')
    ? (row.item_status as PayoutState)
    : undefined;
  if (item) return item;
  if (row.status === 'failed') return row.payout_batch_id ? 'FAILED' : 'refused';
  if (row.status === 'paid' || row.status === 'confirmed') return 'SUCCESS';
  if (row.payout_batch_id) return 'PENDING';
  return row.send_attempts >= MAX_SEND_ATTEMPTS ? 'stuck' : 'sending';
}

/** The invoice's latest PayPal payout, if any. */
export async function payoutOfInvoice(
  db: Db,
  invoiceId: number,
): Promise<PayoutSummary | undefined> {
  const row: Row | undefined = await db('paypal_payouts as p')
    .join('payments as m', 'm.id', 'p.payment_id')
    .where('m.invoice_id', invoiceId)
    .orderBy('m.id', 'desc')
    .first('p.*', 'm.status', 'm.version');
  if (!row) return undefined;
  const state = stateOf(row);
  return {
    paymentId: Number(row.payment_id),
    paymentStatus: row.status,
    version: row.version,
    state,
    receiver: row.receiver,
    senderBatchId: row.sender_batch_id,
    batchId: row.payout_batch_id,
    itemId: row.payout_item_id,
    error: row.item_error,
    problem: row.last_problem,
    attempts: row.send_attempts,
    canCancel: state === 'UNCLAIMED' && row.status === 'sent',
  };
}
