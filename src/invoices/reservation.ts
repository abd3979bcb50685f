import type { Knex } from 'knex';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { CAP_CENTS } from '../platform/money.ts';
import { lockHeldReservation, setReservationAmount } from '../review/repo.ts';

/**
 * What became of the fund reservation when an invoice arrived: set to the invoice's total
 * (`lowered`, `raised`), already that (`unchanged`), or left as it was because the total is
 * beyond what it may hold — above the cap, above the delegated limit of the section 32 manager
 * who approved it, or below what was already released — so a section 32 manager must act.
 */
export type ReservationOutcome =
  | { kind: 'unchanged' | 'none_held' }
  | { kind: 'lowered' | 'raised'; fromCents: number; toCents: number; approvedBy: number }
  | {
      kind: 'needs_section32';
      why: 'over_cap' | 'over_limit' | 'below_released';
      reservationCents: number;
      invoiceCents: number;
      approvedBy: number;
    };

/**
 * The reservation follows the invoice's real total (the tax of the supplier's province, not the
 * 15% assumed at section 32): one event of the opportunity, by the system, in the invoice's
 * transaction. A total the reservation may not hold leaves it unchanged, and that is an event
 * too; the invoice is received either way (the supplier is not kept waiting for the department).
 */
export async function adjustReservationToInvoice(
  trx: Knex.Transaction,
  invoice: { opportunityId: number; invoiceId: number; invoiceNumber: string; totalCents: number },
  now: Date,
): Promise<ReservationOutcome> {
  const held = await lockHeldReservation(trx, invoice.opportunityId);
  if (!held) return { kind: 'none_held' };
  const { delegated_limit_cents: limit, approved_by: approvedBy } = await trx('fund_reservations')
    .where({ id: held.id })
    .first('delegated_limit_cents', 'approved_by');
  const toCents = invoice.totalCents;
  const fromCents = held.amount_cents;
  if (toCents === fromCents) return { kind: 'unchanged' };
  const why =
    toCents > CAP_CENTS
      ? 'over_cap'
      : toCents > limit
        ? 'over_limit'
        : toCents <= held.released_cents
          ? 'below_released'
          : undefined;
  const payload = {
    reservationId: held.id,
    reservationNumber: held.reservation_number,
    invoiceId: invoice.invoiceId,
    invoiceNumber: invoice.invoiceNumber,
    fromCents,
    toCents,
    delegatedLimitCents: limit,
  };
  if (why) {
    await recordOpportunityEvent(trx, {
      opportunityId: invoice.opportunityId,
      action: 'funds_adjustment_needed',
      actorId: null,
      at: now,
      payload: { ...payload, why },
    });
    return {
      kind: 'needs_section32',
      why,
      reservationCents: fromCents,
      invoiceCents: toCents,
      approvedBy: Number(approvedBy),
    };
  }
  await setReservationAmount(trx, held.id, toCents, limit);
  await recordOpportunityEvent(trx, {
    opportunityId: invoice.opportunityId,
    action: 'funds_adjusted_to_invoice',
    actorId: null,
    at: now,
    payload,
  });
  return {
    kind: toCents > fromCents ? 'raised' : 'lowered',
    fromCents,
    toCents,
    approvedBy: Number(approvedBy),
  };
}
