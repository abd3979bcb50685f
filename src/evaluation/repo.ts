import type { Lang } from '../platform/i18n.ts';
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Decision, DecisionCell } from './rules.ts';

type Conn = Db | Knex.Transaction;

/** The opportunity as the evaluation reads it, with its department's setting. */
export interface EvaluationFile {
  id: number;
  reference: string;
  department_id: number;
  requester_id: number | null;
  status: string;
  version: number;
  source_language: 'en' | 'fr';
  title_en: string;
  title_fr: string;
  second_evaluator_required: boolean;
}

export async function findEvaluationFile(
  db: Conn,
  reference: string,
): Promise<EvaluationFile | undefined> {
  const row = await db('opportunities as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .where('o.reference', reference)
    .first(
      'o.id',
      'o.reference',
      'o.department_id',
      'o.requester_id',
      'o.status',
      'o.version',
      'o.source_language',
      'o.title_en',
      'o.title_fr',
      'd.second_evaluator_required',
    );
  return row
    ? { ...row, id: Number(row.id), requester_id: row.requester_id && Number(row.requester_id) }
    : undefined;
}

export interface CriterionRow {
  id: number;
  position: number;
  version: number;
  text_en: string;
  text_fr: string;
}

export async function criteriaOf(db: Conn, opportunityId: number): Promise<CriterionRow[]> {
  const rows = await db('mandatory_criteria')
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'position', 'version', 'text_en', 'text_fr');
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** What the evaluation reads of an application: never its supplier. */
export interface AnonymousApplicant {
  applicationId: number;
  position: number;
  status: string;
  version: number;
  /** The language the supplier applied in: their answers are marked with it (WCAG 3.1.2). */
  language: Lang;
}

/** The applications submitted by the deadline (then passed or failed at the lock). */
const evaluatedStatuses = ['submitted', 'passed', 'failed'];

/**
 * The opportunity's applicants in their anonymous order, drawn once and kept: the first reading
 * after closing shuffles the submitted applications (under a lock on the opportunity, so two
 * evaluators opening the page at once get one order).
 */
export async function anonymousApplicants(
  trx: Knex.Transaction,
  opportunityId: number,
): Promise<AnonymousApplicant[]> {
  const read = () =>
    trx('applications as a')
      .leftJoin('anonymous_applicants as n', 'n.application_id', 'a.id')
      .where('a.opportunity_id', opportunityId)
      .whereIn('a.status', evaluatedStatuses)
      .orderBy('n.position')
      .select('a.id', 'n.position', 'a.status', 'a.version', 'a.language');
  let rows = await read();
  if (rows.some((r) => r.position === null)) {
    await trx('opportunities').where({ id: opportunityId }).forUpdate().first('id');
    rows = await read();
    const unnamed = rows.filter((r) => r.position === null).map((r) => Number(r.id));
    let next = Math.max(0, ...rows.map((r) => Number(r.position ?? 0)));
    // Fisher–Yates with the operating system's randomness: nobody can predict who is A.
    for (let i = unnamed.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [unnamed[i], unnamed[j]] = [unnamed[j]!, unnamed[i]!];
    }
    if (unnamed.length > 0) {
      await trx('anonymous_applicants').insert(
        unnamed.map((applicationId) => ({
          application_id: applicationId,
          opportunity_id: opportunityId,
          position: (next += 1),
        })),
      );
    }
    rows = await read();
  }
  return rows.map((r) => ({
    applicationId: Number(r.id),
    position: Number(r.position),
    status: r.status,
    version: r.version,
    language: r.language,
  }));
}

export interface AnswerRow {
  mandatory_criterion_id: number;
  answer: string;
  links: string[];
}

export async function answersOf(db: Conn, applicationId: number): Promise<AnswerRow[]> {
  const rows = await db('application_answers')
    .where({ application_id: applicationId })
    .select('mandatory_criterion_id', 'answer', 'links');
  return rows.map((r) => ({ ...r, mandatory_criterion_id: Number(r.mandatory_criterion_id) }));
}

export interface EvaluatorRow {
  user_id: number;
  name: string;
  named_by: number | null;
  declared_at: Date | null;
  returned_at: Date | null;
  return_comment: string | null;
}

export async function evaluatorsOf(db: Conn, opportunityId: number): Promise<EvaluatorRow[]> {
  const rows = await db('evaluators as e')
    .join('users as u', 'u.id', 'e.user_id')
    .where('e.opportunity_id', opportunityId)
    .orderBy('e.id')
    .select(
      'e.user_id',
      db.raw('coalesce(u.display_name, u.email) as name'),
      'e.named_by',
      'e.declared_at',
      'e.returned_at',
      'e.return_comment',
    );
  return rows.map((r) => ({ ...r, user_id: Number(r.user_id) }));
}

export async function addEvaluator(
  trx: Knex.Transaction,
  row: { opportunityId: number; userId: number; namedBy: number | null; at: Date },
): Promise<void> {
  await trx('evaluators')
    .insert({
      opportunity_id: row.opportunityId,
      user_id: row.userId,
      named_by: row.namedBy,
      named_at: row.at,
    })
    .onConflict(['opportunity_id', 'user_id'])
    .ignore();
}

export async function markDeclared(
  trx: Knex.Transaction,
  opportunityId: number,
  userId: number,
  at: Date,
): Promise<void> {
  await trx('evaluators')
    .where({ opportunity_id: opportunityId, user_id: userId })
    .update({ declared_at: at });
}

export async function markReturned(
  trx: Knex.Transaction,
  opportunityId: number,
  userId: number,
  returned: { at: Date; comment: string } | null,
): Promise<number> {
  return trx('evaluators')
    .where({ opportunity_id: opportunityId, user_id: userId })
    .whereNotNull('declared_at')
    .update({ returned_at: returned?.at ?? null, return_comment: returned?.comment ?? null });
}

export interface DecisionRow extends DecisionCell {
  reason: string;
}

const asDecision = (r: Record<string, unknown>, evaluator: string): DecisionRow => ({
  applicationId: Number(r.application_id),
  criterionId: Number(r.mandatory_criterion_id),
  evaluatorId: Number(r[evaluator]),
  decision: r.decision as Decision,
  reason: String(r.reason),
});

export async function decisionsOf(db: Conn, opportunityId: number): Promise<DecisionRow[]> {
  const rows = await db('evaluation_decisions').where({ opportunity_id: opportunityId });
  return rows.map((r) => asDecision(r, 'decided_by'));
}

export async function consensusOf(db: Conn, opportunityId: number): Promise<DecisionRow[]> {
  const rows = await db('evaluation_consensus').where({ opportunity_id: opportunityId });
  return rows.map((r) => asDecision(r, 'decided_by'));
}

export interface DecisionWrite {
  opportunityId: number;
  applicationId: number;
  criterionId: number;
  criterionVersion: number;
  decision: Decision;
  reason: string;
  by: number;
  at: Date;
}

const columns = (d: DecisionWrite) => ({
  opportunity_id: d.opportunityId,
  application_id: d.applicationId,
  mandatory_criterion_id: d.criterionId,
  criterion_version: d.criterionVersion,
  decision: d.decision,
  reason: d.reason,
  decided_by: d.by,
  decided_at: d.at,
});

export async function saveDecision(trx: Knex.Transaction, d: DecisionWrite): Promise<void> {
  await trx('evaluation_decisions')
    .insert(columns(d))
    .onConflict(['application_id', 'mandatory_criterion_id', 'decided_by'])
    .merge(['decision', 'reason', 'criterion_version', 'decided_at']);
}

export async function saveConsensus(trx: Knex.Transaction, d: DecisionWrite): Promise<void> {
  await trx('evaluation_consensus')
    .insert(columns(d))
    .onConflict(['application_id', 'mandatory_criterion_id'])
    .merge(['decision', 'reason', 'criterion_version', 'decided_by', 'decided_at']);
}

/** The department's clients and program officers, whom the program officer may name. */
export async function possibleEvaluators(
  db: Conn,
  departmentId: number,
): Promise<{ id: number; name: string }[]> {
  const rows = await db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where('g.department_id', departmentId)
    .whereIn('g.role', ['client', 'program_officer'])
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .where('u.kind', 'staff')
    .distinct('u.id', db.raw('coalesce(u.display_name, u.email) as name'))
    .orderBy('name');
  return rows.map((r) => ({ id: Number(r.id), name: String(r.name) }));
}
