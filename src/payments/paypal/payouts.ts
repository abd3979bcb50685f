import type { Knex } from 'knex';
import { invoiceMachine } from '../../invoices/machine.ts';
import { recordReportedState } from '../../lifecycle/reported-state.ts';
import { create, transition, TransitionError } from '../../lifecycle/transition.ts';
import type { TransitionFailure } from '../../lifecycle/refusal.ts';
import type { CurrentUser } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { easternDate } from '../../platform/dates.ts';
import type { Db } from '../../db/knex.ts';
import type { Logger } from '../../platform/logger.ts';
import { addJob } from '../../platform/jobs.ts';
import { paymentMachine } from '../machine.ts';
import type { Failure, PaypalClient, PayoutItem } from './client.ts';
import { tellSupplierPaid } from './emails.ts';

/**
 * Section 33 by PayPal payout. Paying creates the payment (method paypal_payout) and sends it
 * (`send_payout`, duty pay) in one transaction with its payout record and the job that calls
 * PayPal, so the call happens only for a payment that exists, outside any transaction. The
 * sender_batch_id is the payment's own id: every retry sends the same one, and PayPal pays once.
 * PayPal's item state then settles the payment (SUCCESS), fails it (FAILED, RETURNED, BLOCKED,
 * REFUNDED, REVERSED) or leaves it sent (PENDING, ONHOLD, UNCLAIMED: checked again later; an
 * unclaimed one may be cancelled by finance and paid another way).
 */
export const SEND_PAYOUT = 'paypal-send-payout';
export const CHECK_PAYOUT = 'paypal-check-payout';
export const senderBatchIdOf = (paymentId: number) => `ma-payment-${paymentId}`;
export const sendJobKey = (paymentId: number) => `${SEND_PAYOUT}:${paymentId}`;
const checkJobKey = (paymentId: number) => `${CHECK_PAYOUT}:${paymentId}`;

/** After this many unanswered create calls (about a day of backoff), retries stop and finance is shown it. */
export const MAX_SEND_ATTEMPTS = 30;
const MIN_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
const MAX_CHECK_MS = 6 * 60 * 60_000;

/** 30 s, 1 min, 2 min … up to an hour (at least what a 429's Retry-After asks). */
export function retryDelayMs(attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}
/** When to ask PayPal again about an open item: 1 min, 2, 4 … up to 6 hours. */
const checkDelayMs = (check: number) => Math.min(MAX_CHECK_MS, 60_000 * 2 ** Math.max(0, check));

const failingStatuses = ['FAILED', 'RETURNED', 'BLOCKED', 'REFUNDED', 'REVERSED'];

export interface PayoutDeps {
  db: Db;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  paypal: PaypalClient | undefined;
}

export type PayRefusal =
  | { kind: 'paypal_off' }
  | { kind: 'not_payable' }
  | { kind: 'already_paid' }
  | { kind: 'no_paypal_email' }
  | { kind: 'method_not_allowed' }
  | { kind: 'certifier_pays' }
  | TransitionFailure;

/** Two decimals as PayPal takes them: 113000 → "1130.00". */
const paypalValue = (cents: number) =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

/**
 * Finance pays a certified invoice by PayPal payout. Concurrent clicks serialise on the invoice
 * row: the first creates the payment, the others find it live and are refused (the database's
 * one-live-payment index is the last word).
 */
export async function payByPaypal(
  deps: PayoutDeps,
  actor: CurrentUser,
  input: { invoiceId: number },
): Promise<{ ok: true; paymentId: number } | { ok: false; refusal: PayRefusal }> {
  if (!deps.paypal) return { ok: false, refusal: { kind: 'paypal_off' } };
  const now = deps.clock.now();
  try {
    const paymentId = await deps.db.transaction(async (trx) => {
      const invoice = await trx('invoices').where({ id: input.invoiceId }).forUpdate().first();
      if (!invoice) throw new TransitionError({ kind: 'not_found' });
      if (invoice.status !== 'certified') throw new Refused({ kind: 'not_payable' });
      const department = await trx('departments')
        .where({ id: invoice.department_id })
        .first('payment_methods');
      if (!department.payment_methods.includes('paypal_payout')) {
        throw new Refused({ kind: 'method_not_allowed' });
      }
      const live = await trx('payments')
        .where({ invoice_id: invoice.id })
        .whereIn('status', ['pending', 'sent', 'paid', 'confirmed'])
        .first('id');
      if (live) throw new Refused({ kind: 'already_paid' });
      // Sections 33 and 34 are never one person's (the database refuses it too): said plainly.
      const certification = await trx('invoice_certifications')
        .where({ invoice_id: invoice.id })
        .first('certified_by');
      if (Number(certification?.certified_by) === actor.id) {
        throw new Refused({ kind: 'certifier_pays' });
      }
      const profile = await trx('supplier_profiles')
        .where({ user_id: invoice.supplier_id })
        .first('paypal_email');
      const receiver = profile?.paypal_email?.trim();
      if (!receiver) throw new Refused({ kind: 'no_paypal_email' });
      const { id } = await create(trx, paymentMachine, {
        values: {
          opportunity_id: invoice.opportunity_id,
          department_id: invoice.department_id,
          invoice_id: invoice.id,
          supplier_id: invoice.supplier_id,
          amount_cents: invoice.amount_cents,
          method: 'paypal_payout',
          requested_by: actor.id,
        },
        actor,
        now,
      });
      await transition(trx, paymentMachine, {
        id,
        action: 'send_payout',
        actor,
        expectedVersion: 1,
        now,
        payload: { senderBatchId: senderBatchIdOf(id), receiver },
      });
      await trx('paypal_payouts').insert({
        payment_id: id,
        sender_batch_id: senderBatchIdOf(id),
        receiver,
        amount_cents: invoice.amount_cents,
        currency: 'CAD',
        created_at: now,
        updated_at: now,
      });
      await addJob(trx, {
        task: SEND_PAYOUT,
        payload: { paymentId: id },
        runAt: now,
        key: sendJobKey(id),
      });
      return id;
    });
    return { ok: true, paymentId };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    if (error instanceof TransitionError) return { ok: false, refusal: error.failure };
    if (isUniqueViolation(error)) return { ok: false, refusal: { kind: 'already_paid' } };
    throw error;
  }
}

class Refused extends Error {
  constructor(readonly refusal: PayRefusal) {
    super(`payout refused: ${refusal.kind}`);
  }
}

interface PayoutRow {
  payment_id: string;
  sender_batch_id: string;
  receiver: string;
  amount_cents: number;
  currency: string;
  payout_batch_id: string | null;
  payout_item_id: string | null;
  item_status: string | null;
  send_attempts: number;
  status_checks: number;
  payment_status: string;
  payment_version: number;
  invoice_id: string;
  opportunity_id: string;
  department_id: string;
}

export async function payoutOf(
  db: Db | Knex.Transaction,
  paymentId: number,
): Promise<PayoutRow | undefined> {
  return db('paypal_payouts as p')
    .join('payments as m', 'm.id', 'p.payment_id')
    .where('p.payment_id', paymentId)
    .first(
      'p.*',
      'm.status as payment_status',
      'm.version as payment_version',
      'm.invoice_id',
      'm.opportunity_id',
      'm.department_id',
    );
}

/**
 * PayPal's state of the payout's item or batch, written with its event (paypal_payout,
 * payout_item_status or payout_batch_status, from → to, the system acting) when it changes.
 */
export async function recordPayoutState(
  trx: Knex.Transaction,
  payout: Pick<PayoutRow, 'payment_id' | 'opportunity_id' | 'department_id'>,
  of: 'item' | 'batch',
  to: string,
  now: Date,
): Promise<void> {
  await recordReportedState(trx, {
    table: 'paypal_payouts',
    key: { column: 'payment_id', value: Number(payout.payment_id) },
    column: of === 'item' ? 'item_status' : 'batch_status',
    entityType: 'paypal_payout',
    entityId: Number(payout.payment_id),
    action: of === 'item' ? 'payout_item_status' : 'payout_batch_status',
    opportunityId: Number(payout.opportunity_id),
    departmentId: Number(payout.department_id),
    to,
    now,
  });
}

/**
 * The job that asks PayPal to pay (again, with the same sender_batch_id, until it answers):
 * a created or already existing batch is recorded and checked; a documented refusal fails the
 * payment (nothing was paid); anything unclear is tried again with backoff.
 */
export async function sendPayout(deps: PayoutDeps, paymentId: number): Promise<void> {
  const { db, clock, paypal } = deps;
  const payout = await payoutOf(db, paymentId);
  if (!payout || payout.payment_status !== 'sent' || payout.payout_batch_id || !paypal) return;
  const answer = await paypal.createPayout({
    senderBatchId: payout.sender_batch_id,
    receiver: payout.receiver,
    value: paypalValue(payout.amount_cents),
    currency: payout.currency,
    note: `Micro-acquisition payment ${payout.sender_batch_id}`,
    emailSubject: 'Payment from the Government of Canada / Paiement du gouvernement du Canada',
  });
  const now = clock.now();
  await db.transaction(async (trx) => {
    const attempts = payout.send_attempts + 1;
    if (answer.ok) {
      await trx('paypal_payouts').where({ payment_id: paymentId }).update({
        payout_batch_id: answer.value.batchId,
        send_attempts: attempts,
        last_problem: null,
        next_try_at: null,
        updated_at: now,
      });
      await recordPayoutState(trx, payout, 'batch', 'PENDING', now);
      await scheduleCheck(trx, paymentId, now, 0);
      deps.logger.info(
        { paymentId, batch: answer.value.batchId, adopted: answer.value.adopted },
        'PayPal payout batch recorded',
      );
      return;
    }
    if (answer.failure.kind === 'refused') {
      await trx('paypal_payouts')
        .where({ payment_id: paymentId })
        .update({
          send_attempts: attempts,
          item_error: answer.failure.name || null,
          last_problem: answer.failure.problem,
          updated_at: now,
        });
      await failPayment(trx, payout, now, `PayPal refused the payout: ${answer.failure.problem}`);
      return;
    }
    await retryLater(trx, paymentId, now, attempts, answer.failure);
  });
}

async function retryLater(
  trx: Knex.Transaction,
  paymentId: number,
  now: Date,
  attempts: number,
  failure: Extract<Failure, { kind: 'retry' }>,
): Promise<void> {
  const giveUp = attempts >= MAX_SEND_ATTEMPTS;
  const at = new Date(now.getTime() + retryDelayMs(attempts, failure.retryAfterMs));
  await trx('paypal_payouts')
    .where({ payment_id: paymentId })
    .update({
      send_attempts: attempts,
      last_problem: failure.problem,
      next_try_at: giveUp ? null : at,
      updated_at: now,
    });
  if (!giveUp) {
    await addJob(trx, {
      task: SEND_PAYOUT,
      payload: { paymentId },
      runAt: at,
      key: sendJobKey(paymentId),
    });
  }
}

async function scheduleCheck(trx: Knex.Transaction, paymentId: number, now: Date, check: number) {
  const runAt = new Date(now.getTime() + checkDelayMs(check));
  await addJob(trx, {
    task: CHECK_PAYOUT,
    payload: { paymentId },
    runAt,
    key: checkJobKey(paymentId),
  });
}

/** Asks for a check now (a webhook said something changed). */
export async function checkSoon(trx: Knex.Transaction, paymentId: number, now: Date) {
  await addJob(trx, {
    task: CHECK_PAYOUT,
    payload: { paymentId },
    runAt: now,
    key: checkJobKey(paymentId),
  });
}

async function failPayment(trx: Knex.Transaction, payout: PayoutRow, now: Date, reason: string) {
  await transition(trx, paymentMachine, {
    id: Number(payout.payment_id),
    action: 'fail_payout',
    actor: null,
    expectedVersion: payout.payment_version,
    now,
    reason,
    reasonLang: 'en',
  });
}

/**
 * The job that reads the item's state from PayPal (on our configured base URL) and applies it.
 * Webhooks only ask for this check: the state always comes from PayPal's API.
 */
export async function checkPayout(deps: PayoutDeps, paymentId: number): Promise<void> {
  const { db, clock, paypal } = deps;
  const payout = await payoutOf(db, paymentId);
  if (!payout?.payout_batch_id || !paypal) return;
  let item: PayoutItem | undefined;
  let batchStatus: string | undefined;
  if (payout.payout_item_id) {
    const answer = await paypal.getItem(payout.payout_item_id);
    if (answer.ok) item = answer.value;
  } else {
    const answer = await paypal.getBatch(payout.payout_batch_id);
    if (answer.ok) {
      batchStatus = answer.value.batch_header.batch_status;
      item = answer.value.items?.[0];
    }
  }
  const now = clock.now();
  await db.transaction(async (trx) => {
    const current = await payoutOf(trx, paymentId);
    if (!current) return;
    const checks = current.status_checks + 1;
    if (!item) {
      await trx('paypal_payouts')
        .where({ payment_id: paymentId })
        .update({ status_checks: checks, updated_at: now });
      if (batchStatus) await recordPayoutState(trx, current, 'batch', batchStatus, now);
      if (batchStatus === 'DENIED' && current.payment_status === 'sent') {
        await failPayment(trx, current, now, 'PayPal denied the payout batch');
      } else if (current.payment_status === 'sent') {
        await scheduleCheck(trx, paymentId, now, checks);
      }
      return;
    }
    await applyItem(trx, deps, current, item, now, checks, batchStatus);
  });
}

async function applyItem(
  trx: Knex.Transaction,
  deps: PayoutDeps,
  payout: PayoutRow,
  item: PayoutItem,
  now: Date,
  checks: number,
  batchStatus: string | undefined,
): Promise<void> {
  const status = item.transaction_status ?? 'PENDING';
  await trx('paypal_payouts')
    .where({ payment_id: payout.payment_id })
    .update({
      payout_item_id: item.payout_item_id,
      item_error: item.errors?.name ?? null,
      status_checks: checks,
      updated_at: now,
    });
  if (batchStatus) await recordPayoutState(trx, payout, 'batch', batchStatus, now);
  await recordPayoutState(trx, payout, 'item', status, now);
  if (payout.payment_status !== 'sent') return;
  const paymentId = Number(payout.payment_id);
  if (status === 'SUCCESS') {
    await transition(trx, paymentMachine, {
      id: paymentId,
      action: 'settle_payout',
      actor: null,
      expectedVersion: payout.payment_version,
      now,
      payload: { payoutItemId: item.payout_item_id },
    });
    await trx('payments')
      .where({ id: paymentId })
      .update({ paid_on: easternDate(now) });
    const invoice = await trx('invoices').where({ id: payout.invoice_id }).first('version');
    await transition(trx, invoiceMachine, {
      id: Number(payout.invoice_id),
      action: 'mark_paid',
      actor: null,
      expectedVersion: invoice.version,
      now,
    });
    await tellSupplierPaid(trx, paymentId, now);
    deps.logger.info({ paymentId }, 'PayPal payout succeeded');
  } else if (failingStatuses.includes(status)) {
    await failPayment(
      trx,
      payout,
      now,
      `PayPal payout ${status}${item.errors?.name ? ` (${item.errors.name})` : ''}`,
    );
  } else {
    await scheduleCheck(trx, paymentId, now, checks);
  }
}
