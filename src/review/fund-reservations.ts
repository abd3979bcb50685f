import type { Knex } from 'knex';
import { dutiesPerformed, recordOpportunityEvent } from '../lifecycle/events.ts';
import { checkDuties } from '../lifecycle/segregation.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import { delegatedLimitOf } from '../opportunities/guards.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import { CAP_CENTS } from '../platform/money.ts';
import { lockHeldReservation, recordRelease, setReservationAmount } from './repo.ts';

/**
 * The section 32 fund reservation after its approval: amended (to the invoice's real tax, for
 * one) and released, in whole or in part. Each change is an event of the opportunity. These run
 * inside the caller's transaction, so a later step (the invoice, the payment) can call them with
 * its own; a refusal is a locale key, and a step the person may not take a TransitionError.
 */
export type ReservationChange = { ok: true } | { ok: false; key: string };

const refuse = (key: string): ReservationChange => ({ ok: false, key });

/**
 * While the department is committed to the work, the funds stay reserved: the database refuses
 * a full release then (migration 20261201000200); a partial one leaves the reservation held.
 */
const fundsCommittedStatuses: readonly string[] = [
  'published',
  'closed',
  'evaluated',
  'drawn',
  'awarded',
];

async function fileOf(trx: Knex.Transaction, opportunityId: number) {
  const row = await trx('opportunities')
    .where({ id: opportunityId })
    .first<{ department_id: number; status: string } | undefined>('department_id', 'status');
  if (!row) throw new TransitionError({ kind: 'not_found' });
  return row;
}

/**
 * A new amount for the reservation still held, by a section 32 manager of the department whose
 * delegated limit covers it and who may commit funds on this file (segregation of duties, as for
 * the approval). It cannot go below what was already released, nor above the cap.
 */
export async function amendFundReservation(
  trx: Knex.Transaction,
  actor: CurrentUser,
  change: { opportunityId: number; amountCents: number; reason: string; now: Date },
): Promise<ReservationChange> {
  const file = await fileOf(trx, change.opportunityId);
  if (!hasRole(actor, ['section32_manager'], file.department_id)) {
    throw new TransitionError({ kind: 'forbidden' });
  }
  const duties = checkDuties({
    history: await dutiesPerformed(trx, change.opportunityId),
    actorId: actor.id,
    duty: 'approve_funds',
  });
  if (!duties.allowed)
    throw new TransitionError({ kind: 'segregation', conflicts: duties.conflicts });
  const reason = change.reason.trim();
  if (!reason) throw new TransitionError({ kind: 'reason_required' });

  const reservation = await lockHeldReservation(trx, change.opportunityId);
  if (!reservation) return refuse('review.errors.nothingHeld');
  const { amountCents } = change;
  if (!Number.isSafeInteger(amountCents) || amountCents <= reservation.released_cents) {
    return refuse('review.errors.amendBelowReleased');
  }
  if (amountCents > CAP_CENTS) return refuse('review.errors.amendOverCap');
  const limit = delegatedLimitOf(actor, file.department_id) ?? 0;
  if (amountCents > limit) return refuse('review.errors.amendOverLimit');
  if (amountCents === reservation.amount_cents) return refuse('review.errors.amendUnchanged');

  await setReservationAmount(trx, reservation.id, amountCents, limit);
  await recordOpportunityEvent(trx, {
    opportunityId: change.opportunityId,
    action: 'funds_amended',
    actorId: actor.id,
    duty: 'approve_funds',
    at: change.now,
    reason,
    payload: {
      reservationId: reservation.id,
      reservationNumber: reservation.reservation_number,
      fromCents: reservation.amount_cents,
      toCents: amountCents,
      delegatedLimitCents: limit,
    },
  });
  return { ok: true };
}

/**
 * Records that finance released `cents` of the reservation still held (all that is left when
 * omitted), by a section 32 manager or finance officer of the department. Releasing what is left
 * ends the reservation, which the database allows only once the opportunity no longer needs it.
 */
export async function releaseFundReservation(
  trx: Knex.Transaction,
  actor: CurrentUser,
  release: { opportunityId: number; cents?: number; now: Date; onlyIfRequested?: boolean },
): Promise<ReservationChange> {
  const file = await fileOf(trx, release.opportunityId);
  if (!hasRole(actor, ['section32_manager', 'finance_officer'], file.department_id)) {
    throw new TransitionError({ kind: 'forbidden' });
  }
  const reservation = await lockHeldReservation(trx, release.opportunityId);
  if (!reservation || (release.onlyIfRequested && !reservation.release_requested_at)) {
    return refuse('review.errors.nothingToRelease');
  }
  const left = reservation.amount_cents - reservation.released_cents;
  const cents = release.cents ?? left;
  if (!Number.isSafeInteger(cents) || cents <= 0 || cents > left) {
    return refuse('review.errors.releaseAmount');
  }
  const all = cents === left;
  if (all && fundsCommittedStatuses.includes(file.status)) {
    return refuse('review.errors.fundsStillCommitted');
  }
  await recordRelease(trx, reservation, { cents, by: actor.id, at: release.now });
  await recordOpportunityEvent(trx, {
    opportunityId: release.opportunityId,
    action: all ? 'funds_released' : 'funds_partly_released',
    actorId: actor.id,
    at: release.now,
    payload: {
      reservationId: reservation.id,
      reservationNumber: reservation.reservation_number,
      releasedCents: cents,
      leftCents: left - cents,
    },
  });
  return { ok: true };
}
