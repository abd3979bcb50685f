import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { easternDate, easternInstant } from '../platform/dates.ts';
import { addJob } from '../platform/jobs.ts';

export const CONTRACT_MIDPOINT = 'contract-midpoint';
const midpointJobKey = (contractId: number) => `${CONTRACT_MIDPOINT}:${contractId}`;

/**
 * Halfway between the day the supplier accepted the terms and the due date, in Toronto calendar
 * days (rounded down). A due date on or before the acceptance has its midpoint on itself.
 */
export function midpointOf(acceptedOn: string, dueOn: string): string {
  const start = DateTime.fromISO(acceptedOn, { zone: 'UTC' });
  const end = DateTime.fromISO(dueOn, { zone: 'UTC' });
  const days = Math.floor(end.diff(start, 'days').days);
  if (days <= 0) return dueOn;
  return start.plus({ days: Math.floor(days / 2) }).toISODate()!;
}

/** The midpoint has passed once its Toronto day is over. */
export function midpointPassed(midpointOn: string, now: Date): boolean {
  return easternDate(now) > midpointOn;
}

/** The instant the midpoint's day ends in Toronto: when the job looks for a check-in. */
export function afterMidpoint(midpointOn: string): Date {
  const next = DateTime.fromISO(midpointOn, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  return easternInstant(next, 0);
}

/**
 * The due date of a contract whose supplier accepts the terms today: the opportunity's delivery
 * date, unless the work was offered again after a termination — then the new supplier has as
 * many days as the first one had (from their acceptance to the delivery date), never less.
 */
export async function dueDateFor(
  trx: Knex.Transaction,
  contract: { opportunityId: number; acceptedAt: Date; deliveryDueOn: string | null },
): Promise<string | null> {
  const { deliveryDueOn } = contract;
  if (!deliveryDueOn) return null;
  const first = await trx('contracts as c')
    .join('terms_acceptances as a', 'a.contract_id', 'c.id')
    .where({ 'c.opportunity_id': contract.opportunityId, 'c.status': 'terminated' })
    .orderBy('a.accepted_at')
    .first('a.accepted_at');
  if (!first) return deliveryDueOn;
  const day = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });
  const given = day(deliveryDueOn).diff(day(easternDate(first.accepted_at)), 'days').days;
  const again = day(easternDate(contract.acceptedAt))
    .plus({ days: Math.max(0, given) })
    .toISODate()!;
  return again > deliveryDueOn ? again : deliveryDueOn;
}

/**
 * Sets the contract's due date and its midpoint, counted from the acceptance of the terms, and
 * (re)schedules the job that alerts the client if the midpoint passes without a check-in: the
 * job's key makes a later call (an extension) move it rather than add a second one.
 */
export async function scheduleContract(
  trx: Knex.Transaction,
  contract: { id: number; acceptedAt: Date; dueOn: string | null },
): Promise<{ dueOn: string | null; midpointOn: string | null }> {
  if (!contract.dueOn) {
    await trx('contracts').where({ id: contract.id }).update({ due_on: null, midpoint_on: null });
    return { dueOn: null, midpointOn: null };
  }
  const midpointOn = midpointOf(easternDate(contract.acceptedAt), contract.dueOn);
  await trx('contracts')
    .where({ id: contract.id })
    .update({ due_on: contract.dueOn, midpoint_on: midpointOn });
  await addJob(trx, {
    task: CONTRACT_MIDPOINT,
    payload: { contractId: contract.id },
    runAt: afterMidpoint(midpointOn),
    key: midpointJobKey(contract.id),
  });
  return { dueOn: contract.dueOn, midpointOn };
}
