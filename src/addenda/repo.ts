import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { changeableTexts, type ChangeableText } from './schemas.ts';

/** The columns an addendum reads and may change, locked for the rest of the transaction. */
export interface AmendableOpportunity extends Record<ChangeableText, string> {
  id: number;
  status: string;
  version: number;
  closes_at: Date | null;
  delivery_due_on: string | null;
}

export function lockOpportunity(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<AmendableOpportunity | undefined> {
  return trx('opportunities')
    .where({ id: opportunityId })
    .forUpdate()
    .first<AmendableOpportunity | undefined>(
      'id',
      'status',
      'version',
      'closes_at',
      'delivery_due_on',
      ...changeableTexts,
    );
}

/**
 * Addenda are numbered 1, 2, 3… per opportunity. Publishing holds the opportunity's row lock, so
 * two addenda never take the same number; the form only shows it.
 */
export async function nextAddendumNumber(
  trx: Db | Knex.Transaction,
  opportunityId: number,
): Promise<number> {
  const row = await trx('addenda')
    .where({ opportunity_id: opportunityId })
    .max<{ last: number | null }>({ last: 'number' })
    .first();
  return (row?.last ?? 0) + 1;
}

export async function insertAddendum(
  trx: Knex.Transaction,
  a: {
    opportunityId: number;
    number: number;
    summary: { en: string; fr: string };
    changes: string[];
    previousClosesAt: Date | null;
    newClosesAt: Date | null;
    createdBy: number;
    at: Date;
  },
): Promise<number> {
  const [row] = await trx('addenda')
    .insert({
      opportunity_id: a.opportunityId,
      number: a.number,
      summary_en: a.summary.en,
      summary_fr: a.summary.fr,
      changes: JSON.stringify(a.changes),
      previous_closes_at: a.previousClosesAt,
      new_closes_at: a.newClosesAt,
      created_by: a.createdBy,
      created_at: a.at,
    })
    .returning('id');
  return Number(row.id);
}

/** A criterion of the opportunity as an addendum reads it, under its stable id. */
export interface CurrentCriterion {
  kind: 'mandatory' | 'acceptance';
  id: number;
  position: number;
  version: number;
  text_en: string;
  text_fr: string;
}

/** The opportunity's criteria, locked for the rest of the transaction. */
export async function lockCriteria(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<CurrentCriterion[]> {
  const of = async (kind: CurrentCriterion['kind']) => {
    const rows: Omit<CurrentCriterion, 'kind'>[] = await trx(`${kind}_criteria`)
      .where({ opportunity_id: opportunityId })
      .orderBy('position')
      .forUpdate()
      .select('id', 'position', 'version', 'text_en', 'text_fr');
    return rows.map((r) => ({ kind, ...r }));
  };
  return [...(await of('acceptance')), ...(await of('mandatory'))];
}

/**
 * A published criterion changes as a new version: its current wording is kept in
 * criterion_versions, superseded by this addendum, then the row (same id) takes the new texts and
 * the next version. The database refuses the change otherwise.
 */
export async function reviseCriterion(
  trx: Knex.Transaction,
  criterion: CurrentCriterion,
  texts: { en: string; fr: string },
  addendumId: number,
  at: Date,
): Promise<void> {
  await trx('criterion_versions').insert({
    [`${criterion.kind}_criterion_id`]: criterion.id,
    version: criterion.version,
    text_en: criterion.text_en,
    text_fr: criterion.text_fr,
    superseded_by_addendum: addendumId,
    superseded_at: at,
  });
  await trx(`${criterion.kind}_criteria`)
    .where({ id: criterion.id, version: criterion.version })
    .update({ text_en: texts.en, text_fr: texts.fr, version: criterion.version + 1 });
}

/**
 * Writes the changed columns and bumps `version`, so that a staff page opened before the addendum
 * is refused as stale. The status is never written here: that is transition()'s alone.
 */
export async function amendOpportunity(
  trx: Knex.Transaction,
  o: AmendableOpportunity,
  changed: Partial<Record<ChangeableText | 'closes_at', string | Date>>,
  at: Date,
): Promise<boolean> {
  const updated = await trx('opportunities')
    .where({ id: o.id, version: o.version })
    .update({ ...changed, version: o.version + 1, updated_at: at });
  return updated === 1;
}
