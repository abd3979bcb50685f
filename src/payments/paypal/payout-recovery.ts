import { transition, TransitionError } from '../../lifecycle/transition.ts';
import type { TransitionFailure } from '../../lifecycle/refusal.ts';
import { hasRole, type CurrentUser } from '../../platform/auth.ts';
import { addJob } from '../../platform/jobs.ts';
import { paymentMachine } from '../machine.ts';
import {
  CHECK_PAYOUT,
  checkPayout,
  checkSoon,
  MAX_SEND_ATTEMPTS,
  payoutOf,
  recordPayoutState,
  SEND_PAYOUT,
  sendJobKey,
  type PayoutDeps,
} from './payouts.ts';

/**
 * When a payout does not go through by itself: finance cancels an unclaimed one (then pays
 * another way), or sends again one whose retries stopped; and the sweep gives back its job to a
 * sent payout whose job was lost.
 */
export type CancelOutcome =
  | { ok: true }
  | {
      ok: false;
      refusal: 'paypal_off' | 'not_unclaimed' | 'paypal_unreachable' | TransitionFailure['kind'];
    };

/**
 * Finance cancels an unclaimed payout: PayPal's cancel must answer RETURNED (the money is back)
 * before the payment is cancelled, so the invoice can then be paid another way (by card).
 */
export async function cancelUnclaimed(
  deps: PayoutDeps,
  actor: CurrentUser,
  input: { paymentId: number; version: number },
): Promise<CancelOutcome> {
  const { db, clock, paypal } = deps;
  if (!paypal) return { ok: false, refusal: 'paypal_off' };
  const payout = await payoutOf(db, input.paymentId);
  if (!payout) return { ok: false, refusal: 'not_found' };
  const department = await db('payments').where({ id: input.paymentId }).first('department_id');
  if (!hasRole(actor, ['finance_officer'], department.department_id)) {
    return { ok: false, refusal: 'forbidden' };
  }
  if (payout.payment_version !== input.version) return { ok: false, refusal: 'stale' };
  if (
    payout.payment_status !== 'sent' ||
    !payout.payout_item_id ||
    payout.item_status !== 'UNCLAIMED'
  ) {
    return { ok: false, refusal: 'not_unclaimed' };
  }
  const answer = await paypal.cancelItem(payout.payout_item_id);
  const now = clock.now();
  const returned =
    (answer.ok && answer.value.transaction_status === 'RETURNED') ||
    (!answer.ok &&
      answer.failure.kind === 'refused' &&
      answer.failure.name === 'ITEM_ALREADY_CANCELLED');
  if (!returned) {
    if (!answer.ok && answer.failure.kind === 'retry')
      return { ok: false, refusal: 'paypal_unreachable' };
    // ITEM_INCORRECT_STATUS: it was claimed (or changed) meanwhile: read its state now.
    await checkPayout(deps, input.paymentId);
    return { ok: false, refusal: 'not_unclaimed' };
  }
  try {
    await db.transaction(async (trx) => {
      await trx('paypal_payouts')
        .where({ payment_id: input.paymentId })
        .update({ updated_at: now });
      await recordPayoutState(trx, payout, 'item', 'RETURNED', now);
      // PayPal has given the money back: the payment follows, whatever changed meanwhile.
      const { version } = await trx('payments').where({ id: input.paymentId }).first('version');
      await transition(trx, paymentMachine, {
        id: input.paymentId,
        action: 'cancel_payout',
        actor,
        expectedVersion: version,
        now,
        payload: { payoutItemId: payout.payout_item_id },
      });
    });
  } catch (error) {
    if (error instanceof TransitionError) return { ok: false, refusal: error.failure.kind };
    throw error;
  }
  return { ok: true };
}

/** PayPal pays once per sender_batch_id used within 30 days: past 25, no automatic retry. */
const SAFE_RETRY_DAYS = 25;

/**
 * Finance sends a payout whose retries stopped (PayPal never answered) again, with the same
 * sender_batch_id, while PayPal's duplicate guard still holds it.
 */
export async function retryStuck(
  deps: PayoutDeps,
  actor: CurrentUser,
  input: { paymentId: number },
): Promise<
  { ok: true } | { ok: false; refusal: 'not_found' | 'forbidden' | 'not_stuck' | 'too_old' }
> {
  const { db, clock } = deps;
  const now = clock.now();
  return db.transaction(async (trx) => {
    const payout = await trx('paypal_payouts as p')
      .join('payments as m', 'm.id', 'p.payment_id')
      .where('p.payment_id', input.paymentId)
      .forUpdate()
      .first('p.*', 'm.status', 'm.department_id');
    if (!payout) return { ok: false, refusal: 'not_found' } as const;
    if (!hasRole(actor, ['finance_officer'], Number(payout.department_id))) {
      return { ok: false, refusal: 'forbidden' } as const;
    }
    if (
      payout.status !== 'sent' ||
      payout.payout_batch_id ||
      payout.send_attempts < MAX_SEND_ATTEMPTS
    ) {
      return { ok: false, refusal: 'not_stuck' } as const;
    }
    if (now.getTime() - new Date(payout.created_at).getTime() > SAFE_RETRY_DAYS * 86_400_000) {
      return { ok: false, refusal: 'too_old' } as const;
    }
    await trx('paypal_payouts')
      .where({ payment_id: input.paymentId })
      .update({ send_attempts: 0, next_try_at: now, updated_at: now });
    await addJob(trx, {
      task: SEND_PAYOUT,
      payload: { paymentId: input.paymentId },
      runAt: now,
      key: sendJobKey(input.paymentId),
    });
    return { ok: true } as const;
  });
}

/**
 * The safety net, every ten minutes: a sent payout with no waiting job of its own (its job gave
 * up after the queue's own retries, or was lost) gets one again — a send while retries have not
 * stopped, else a check once PayPal holds the batch. Returns how many.
 */
export async function sweepPayouts(deps: Pick<PayoutDeps, 'db' | 'clock'>): Promise<number> {
  const { db, clock } = deps;
  const now = clock.now();
  const orphans: { payment_id: string; payout_batch_id: string | null }[] = await db(
    'paypal_payouts as p',
  )
    .join('payments as m', 'm.id', 'p.payment_id')
    .where('m.status', 'sent')
    .where((q) =>
      q.whereNotNull('p.payout_batch_id').orWhere('p.send_attempts', '<', MAX_SEND_ATTEMPTS),
    )
    .whereNotExists(
      db('graphile_worker.jobs as j')
        .whereRaw(`j.key IN (? || p.payment_id, ? || p.payment_id)`, [
          `${SEND_PAYOUT}:`,
          `${CHECK_PAYOUT}:`,
        ])
        .whereRaw('j.attempts < j.max_attempts'),
    )
    .select('p.payment_id', 'p.payout_batch_id');
  if (orphans.length === 0) return 0;
  await db.transaction(async (trx) => {
    for (const orphan of orphans) {
      const paymentId = Number(orphan.payment_id);
      if (orphan.payout_batch_id) await checkSoon(trx, paymentId, now);
      else {
        await addJob(trx, {
          task: SEND_PAYOUT,
          payload: { paymentId },
          runAt: now,
          key: sendJobKey(paymentId),
        });
      }
    }
  });
  return orphans.length;
}
