import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { OpportunityRow } from '../lifecycle/guards.ts';

type Conn = Db | Knex.Transaction;

export interface CriterionRow {
  id: number;
  position: number;
  text_en: string;
  text_fr: string;
}

/** A request or opportunity by reference, every column, for staff screens (scoped by the route). */
export function findRequest(db: Conn, reference: string): Promise<OpportunityRow | undefined> {
  return db('opportunities').where({ reference }).first();
}

export async function criteriaOf(
  db: Conn,
  opportunityId: number,
): Promise<{ mandatory: CriterionRow[]; acceptance: CriterionRow[] }> {
  const of = (table: string) =>
    db(table)
      .where({ opportunity_id: opportunityId })
      .orderBy('position')
      .select<CriterionRow[]>('id', 'position', 'text_en', 'text_fr');
  const [mandatory, acceptance] = await Promise.all([
    of('mandatory_criteria'),
    of('acceptance_criteria'),
  ]);
  return { mandatory, acceptance };
}
