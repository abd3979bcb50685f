import type { Db } from '../db/knex.ts';
import { publicStatuses } from '../opportunities/states.ts';
import { submittedCount } from './repo.ts';

/**
 * Applications are sealed until the opportunity closes: while it is published (even past its
 * deadline, until the closing step runs), department staff learn how many are submitted, never
 * who applied, what they wrote, or when they started, reopened or withdrew.
 */
const sealed = (opportunityStatus: string) => opportunityStatus === 'published';

/** A file's history as staff may read it: no application's steps while they are sealed. */
export function historyStaffMayRead<Row extends { entity_type: string }>(
  rows: readonly Row[],
  opportunityStatus: string,
): Row[] {
  return sealed(opportunityStatus)
    ? rows.filter((row) => row.entity_type !== 'application')
    : [...rows];
}

/** What the staff request page shows of the applications: the count, from publishing on. */
export async function applicationsForStaff(
  db: Db,
  opportunity: { id: number; status: string },
): Promise<{ count: number; sealed: boolean } | undefined> {
  if (!(publicStatuses as readonly string[]).includes(opportunity.status)) return undefined;
  return { count: await submittedCount(db, opportunity.id), sealed: sealed(opportunity.status) };
}
