import type { Db } from '../db/knex.ts';

/** How many addenda moved the opportunity's deadline. */
export async function countDeadlineChanges(db: Db, opportunityId: number): Promise<number> {
  const row = await db('addenda')
    .where({ opportunity_id: opportunityId })
    .whereNotNull('new_closes_at')
    .count<{ count: string }>('* as count')
    .first();
  return Number(row?.count ?? 0);
}
