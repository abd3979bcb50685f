import type { Knex } from 'knex';
import type { GuardFailure } from '../lifecycle/machine.ts';
import { isOpen } from '../opportunities/states.ts';

/**
 * THE deadline rule of an application: a supplier starts, edits, submits, reopens and withdraws
 * only while the opportunity is open, read now from its row (the current closing time, an
 * extension by addendum included) against the request's one clock reading — never from the page
 * the supplier loaded. A share lock: an addendum moving the deadline waits for this step, or goes
 * first, so the step is judged against the closing that holds when it commits.
 */
export async function beforeDeadline(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<GuardFailure | undefined> {
  const o: { status: string; closes_at: Date | null } | undefined = await trx('opportunities')
    .where({ id: opportunityId })
    .forShare()
    .first('status', 'closes_at');
  if (o && isOpen({ status: o.status, closesAt: o.closes_at }, now)) return undefined;
  return { code: 'application_deadline_passed' };
}
