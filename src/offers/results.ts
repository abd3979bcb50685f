import type { Knex } from 'knex';
import { drawnOrder } from '../draw/service.ts';

/**
 * What the evaluation and the draw left behind, as the offers and the outcome emails read it:
 * the one place here that knows their tables.
 */

export interface Ranked {
  applicationId: number;
  supplierId: number;
  /** 1 for the first drawn. */
  position: number;
}

/** The passing applications in the draw's order (the draw ranks only those that passed). */
export async function drawOrder(trx: Knex.Transaction, opportunityId: number): Promise<Ranked[]> {
  const order = await drawnOrder(trx, opportunityId);
  const suppliers: { id: string; supplier_id: string }[] = await trx('applications')
    .whereIn(
      'id',
      order.map((r) => r.applicationId),
    )
    .where({ status: 'passed' })
    .select('id', 'supplier_id');
  const supplierOf = new Map(suppliers.map((a) => [Number(a.id), Number(a.supplier_id)]));
  return order.flatMap((r) => {
    const supplierId = supplierOf.get(r.applicationId);
    return supplierId === undefined
      ? []
      : [{ applicationId: r.applicationId, supplierId, position: r.rank }];
  });
}

export interface CriterionDecision {
  position: number;
  text_en: string;
  text_fr: string;
  passed: boolean;
  /** The consensus's reason where two evaluators agreed one, else each evaluator's. */
  reasons: string[];
}

/**
 * Each mandatory criterion of an application's opportunity with the decision that stands: the
 * consensus where there is one, else the evaluators' (who agree, or the lock is refused).
 */
export async function decisionsOf(
  trx: Knex.Transaction,
  applicationId: number,
): Promise<CriterionDecision[]> {
  type Cell = { criterion: string; decision: string; reason: string };
  const of = (table: string): Promise<Cell[]> =>
    trx(table)
      .where({ application_id: applicationId })
      .orderBy('id')
      .select('mandatory_criterion_id as criterion', 'decision', 'reason');
  // One after the other: a transaction is one connection, and pg deprecates overlapping queries.
  const decisions = await of('evaluation_decisions');
  const consensus = await of('evaluation_consensus');
  const criteria: { id: string; position: number; text_en: string; text_fr: string }[] = await trx(
    'mandatory_criteria as c',
  )
    .join('applications as a', 'a.opportunity_id', 'c.opportunity_id')
    .where('a.id', applicationId)
    .orderBy('c.position')
    .select('c.id', 'c.position', 'c.text_en', 'c.text_fr');
  return criteria.flatMap((c) => {
    const agreed = consensus.filter((d) => d.criterion === c.id);
    const cells = agreed.length > 0 ? agreed : decisions.filter((d) => d.criterion === c.id);
    if (cells.length === 0) return [];
    return [
      {
        position: c.position,
        text_en: c.text_en,
        text_fr: c.text_fr,
        passed: cells[0]!.decision === 'pass',
        reasons: [...new Set(cells.map((d) => d.reason))],
      },
    ];
  });
}
