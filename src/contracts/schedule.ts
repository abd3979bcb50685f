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
