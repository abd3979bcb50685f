import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { OpportunityRow } from '../opportunities/row.ts';

type Conn = Db | Knex.Transaction;

export interface CriterionRow {
  id: number;
  position: number;
  text_en: string;
  text_fr: string;
  /** A work acceptance criterion's CI check, shown on the review of the delivered work. */
  ci_check?: string | null;
}

/** A request or opportunity by reference, every column, for staff screens (scoped by the route). */
export function findRequest(db: Conn, reference: string): Promise<OpportunityRow | undefined> {
  return db('opportunities').where({ reference }).first();
}

export async function criteriaOf(
  db: Conn,
  opportunityId: number,
): Promise<{ mandatory: CriterionRow[]; acceptance: CriterionRow[] }> {
  const of = (table: string, ...more: string[]) =>
    db(table)
      .where({ opportunity_id: opportunityId })
      .orderBy('position')
      .select<CriterionRow[]>('id', 'position', 'text_en', 'text_fr', ...more);
  const [mandatory, acceptance] = await Promise.all([
    of('mandatory_criteria'),
    of('acceptance_criteria', 'ci_check'),
  ]);
  return { mandatory, acceptance };
}

/** A request as its client's list shows it. */
export interface OwnRequestRow {
  id: number;
  reference: string;
  status: string;
  source_language: 'en' | 'fr';
  title_en: string;
  title_fr: string;
  completed_steps: string[];
  updated_at: Date;
  /** A draft the program team sent back for changes. */
  returned: boolean;
}

/** The requests a person started, every status, the last changed first. */
export function requestsOf(db: Conn, requesterId: number): Promise<OwnRequestRow[]> {
  return db('opportunities as o')
    .where('o.requester_id', requesterId)
    .orderBy([
      { column: 'o.updated_at', order: 'desc' },
      { column: 'o.id', order: 'desc' },
    ])
    .select<OwnRequestRow[]>(
      'o.id',
      'o.reference',
      'o.status',
      'o.source_language',
      'o.title_en',
      'o.title_fr',
      'o.completed_steps',
      'o.updated_at',
      db.raw(
        `o.status = 'draft' AND EXISTS (SELECT 1 FROM events e WHERE e.entity_type = 'opportunity' AND e.entity_id = o.id AND e.action = 'return_to_client') AS returned`,
      ),
    );
}

export interface ClientDepartment {
  id: number;
  acronym_en: string;
  acronym_fr: string;
  name_en: string;
  name_fr: string;
}

/** The departments in which a person holds the client role now. */
export function clientDepartmentsOf(db: Conn, userId: number): Promise<ClientDepartment[]> {
  return db('role_grants as g')
    .join('departments as d', 'd.id', 'g.department_id')
    .where({ 'g.user_id': userId, 'g.role': 'client' })
    .whereNull('g.revoked_at')
    .orderBy('d.acronym_en')
    .distinct<ClientDepartment[]>('d.id', 'd.acronym_en', 'd.acronym_fr', 'd.name_en', 'd.name_fr');
}

/** What a department allows a request to use: its cost centres and payment methods. */
export interface DepartmentFinances {
  cost_centres: string[];
  payment_methods: string[];
  card_exemption_reference: string | null;
}

export async function departmentFinancesOf(
  db: Conn,
  departmentId: number,
): Promise<DepartmentFinances> {
  const row = await db('departments')
    .where({ id: departmentId })
    .first('cost_centres', 'payment_methods', 'card_exemption_reference');
  return {
    cost_centres: row?.cost_centres ?? [],
    payment_methods: row?.payment_methods ?? [],
    card_exemption_reference: row?.card_exemption_reference ?? null,
  };
}

/** The request's row, locked until the transaction ends, so two saves never interleave. */
export function lockRequest(
  trx: Knex.Transaction,
  id: number,
): Promise<OpportunityRow | undefined> {
  return trx('opportunities').where({ id }).forUpdate().first();
}

export async function updateRequest(
  trx: Knex.Transaction,
  id: number,
  columns: Record<string, unknown>,
): Promise<void> {
  await trx('opportunities').where({ id }).update(columns);
}

/**
 * A draft's list of criteria as typed in one language, saved in place at positions 1..n: a line
 * kept as it was keeps its row (its id, its other language) wherever it moves; a changed line
 * takes over the row of a line that is gone, in order, keeping the other language's text for
 * the translator to check; what is left over is inserted, or deleted (only a draft loses a
 * criterion, the database checks). Positions are unique again when the transaction ends.
 */
export async function saveCriteria(
  trx: Knex.Transaction,
  table: 'mandatory_criteria' | 'acceptance_criteria',
  opportunityId: number,
  lang: 'en' | 'fr',
  texts: readonly string[],
): Promise<void> {
  const existing: { id: number; text_en: string; text_fr: string }[] = await trx(table)
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'text_en', 'text_fr');
  const rowOf: (number | undefined)[] = texts.map(() => undefined);
  const taken = new Set<number>();
  texts.forEach((text, i) => {
    const same = existing.find((row) => !taken.has(row.id) && row[`text_${lang}`] === text);
    if (same) {
      rowOf[i] = same.id;
      taken.add(same.id);
    }
  });
  const free = existing.filter((row) => !taken.has(row.id));
  texts.forEach((_, i) => {
    if (rowOf[i] === undefined && free.length > 0) rowOf[i] = free.shift()!.id;
  });
  if (free.length > 0) {
    await trx(table)
      .whereIn(
        'id',
        free.map((row) => row.id),
      )
      .delete();
  }
  for (const [i, text] of texts.entries()) {
    const id = rowOf[i];
    if (id === undefined) {
      await trx(table).insert({
        opportunity_id: opportunityId,
        position: i + 1,
        [`text_${lang}`]: text,
      });
    } else {
      await trx(table)
        .where({ id })
        .update({ position: i + 1, [`text_${lang}`]: text });
    }
  }
}

/** The work acceptance criteria's CI checks as the step lists them, by position; others none. */
export async function saveCiChecks(
  trx: Knex.Transaction,
  opportunityId: number,
  checks: readonly { position: number; name: string }[],
): Promise<void> {
  const rows: { id: number; position: number; ci_check: string | null }[] = await trx(
    'acceptance_criteria',
  )
    .where({ opportunity_id: opportunityId })
    .select('id', 'position', 'ci_check');
  for (const row of rows) {
    const check = checks.find((c) => c.position === row.position)?.name ?? null;
    if (check !== row.ci_check) {
      await trx('acceptance_criteria').where({ id: row.id }).update({ ci_check: check });
    }
  }
}

/** Each time the program team sent the request back, with their comments, oldest first. */
export function returnsOf(
  db: Conn,
  opportunityId: number,
): Promise<{ at: Date; reason: string; reason_lang: string | null }[]> {
  return db('events')
    .where({ entity_type: 'opportunity', entity_id: opportunityId, action: 'return_to_client' })
    .orderBy('at')
    .orderBy('id')
    .select('at', db.raw(`coalesce(reason, '') as reason`), 'reason_lang');
}
