import type { Knex } from 'knex';
import type { ContractRow } from '../contracts/machine.ts';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { CheckResult } from './ci-checks.ts';
import type { LinkKind } from './links.ts';

type Conn = Db | Knex.Transaction;

export interface ContractOpportunity {
  id: number;
  reference: string;
  title_en: string;
  title_fr: string;
  repository_url: string;
  requester_id: number | null;
  department_id: number;
  delivery_due_on: string | null;
}

export async function contractWithOpportunity(
  db: Conn,
  contractId: number,
  options: { lock?: boolean } = {},
): Promise<{ contract: ContractRow; opportunity: ContractOpportunity } | undefined> {
  const query = db('contracts').where({ id: contractId });
  if (options.lock) query.forUpdate();
  const contract: ContractRow | undefined = await query.first();
  if (!contract) return undefined;
  const opportunity: ContractOpportunity = await db('opportunities')
    .where({ id: contract.opportunity_id })
    .first(
      'id',
      'reference',
      'title_en',
      'title_fr',
      'repository_url',
      'requester_id',
      'department_id',
      'delivery_due_on',
    );
  return { contract, opportunity };
}

/** Is the address on the opportunity's repository, as the database reads repositories? */
export async function onRepositoryOf(
  db: Conn,
  opportunityId: number,
  address: string,
): Promise<boolean> {
  const row = await db('opportunities')
    .where({ id: opportunityId })
    .first(db.raw('repository = canonical_repository(?) as same', [address]));
  return row?.same === true;
}

export interface WorkCriterion {
  id: number;
  position: number;
  version: number;
  text_en: string;
  text_fr: string;
  ci_check: string | null;
}

export function workCriteriaOf(db: Conn, opportunityId: number): Promise<WorkCriterion[]> {
  return db('acceptance_criteria')
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'position', 'version', 'text_en', 'text_fr', 'ci_check');
}

export interface DeliveryLink {
  kind: LinkKind;
  url: string;
}

export interface CriterionJudgement {
  criterionId: number;
  met: boolean;
  comment: string;
  /** The CI check's result on each delivered pull request, as the client saw it. */
  evidence?: (CheckResult & { pullRequest: string })[];
}

/** One criterion as the client judged it in a round's review. */
interface JudgedRow {
  acceptance_criterion_id: number;
  met: boolean;
  comment: string;
  ci_evidence: CriterionJudgement['evidence'] | null;
}

export interface Round {
  id: number;
  round: number;
  notes: string;
  notes_lang: Lang;
  delivered_at: Date;
  links: DeliveryLink[];
  review?: {
    outcome: 'accepted' | 'revisions';
    reason: string;
    reason_lang: Lang;
    reviewed_at: Date;
    criteria: JudgedRow[];
  };
}

/** Every delivery round of a contract, the first first, with its links and its review. */
export async function roundsOf(db: Conn, contractId: number): Promise<Round[]> {
  const deliveries: Omit<Round, 'links' | 'review'>[] = await db('deliveries')
    .where({ contract_id: contractId })
    .orderBy('round')
    .select('id', 'round', 'notes', 'notes_lang', 'delivered_at');
  if (deliveries.length === 0) return [];
  const ids = deliveries.map((d) => d.id);
  const links: (DeliveryLink & { delivery_id: number })[] = await db('delivery_links')
    .whereIn('delivery_id', ids)
    .orderBy(['delivery_id', 'position'])
    .select('delivery_id', 'kind', 'url');
  const reviews = await db('delivery_reviews')
    .whereIn('delivery_id', ids)
    .select('id', 'delivery_id', 'outcome', 'reason', 'reason_lang', 'reviewed_at');
  const judged = await db('delivery_review_criteria')
    .whereIn(
      'review_id',
      reviews.map((r: { id: number }) => r.id),
    )
    .select('review_id', 'acceptance_criterion_id', 'met', 'comment', 'ci_evidence');
  return deliveries.map((d) => {
    const review = reviews.find(
      (r: { delivery_id: number }) => Number(r.delivery_id) === Number(d.id),
    );
    return {
      ...d,
      links: links
        .filter((l) => Number(l.delivery_id) === Number(d.id))
        .map(({ kind, url }) => ({ kind, url })),
      review: review && {
        ...review,
        criteria: judged
          .filter((j: { review_id: number }) => Number(j.review_id) === Number(review.id))
          .map((j: JudgedRow) => ({
            acceptance_criterion_id: Number(j.acceptance_criterion_id),
            met: j.met,
            comment: j.comment,
            ci_evidence: j.ci_evidence,
          })),
      },
    };
  });
}

export async function insertDelivery(
  trx: Knex.Transaction,
  d: {
    contract: ContractRow;
    round: number;
    notes: string;
    notesLang: Lang;
    links: readonly DeliveryLink[];
    by: number;
    at: Date;
  },
): Promise<number> {
  const [row] = await trx('deliveries')
    .insert({
      contract_id: d.contract.id,
      opportunity_id: d.contract.opportunity_id,
      department_id: d.contract.department_id,
      round: d.round,
      notes: d.notes,
      notes_lang: d.notesLang,
      delivered_by: d.by,
      delivered_at: d.at,
    })
    .returning('id');
  const id = Number(row.id);
  await trx('delivery_links').insert(
    d.links.map((link, i) => ({ delivery_id: id, position: i + 1, ...link })),
  );
  return id;
}

export async function insertReview(
  trx: Knex.Transaction,
  r: {
    deliveryId: number;
    outcome: 'accepted' | 'revisions';
    reason: string;
    reasonLang: Lang;
    by: number;
    at: Date;
    judgements: readonly (CriterionJudgement & { version: number })[];
  },
): Promise<void> {
  const [row] = await trx('delivery_reviews')
    .insert({
      delivery_id: r.deliveryId,
      outcome: r.outcome,
      reason: r.reason,
      reason_lang: r.reasonLang,
      reviewed_by: r.by,
      reviewed_at: r.at,
    })
    .returning('id');
  await trx('delivery_review_criteria').insert(
    r.judgements.map((j) => ({
      review_id: row.id,
      acceptance_criterion_id: j.criterionId,
      criterion_version: j.version,
      met: j.met,
      comment: j.comment,
      ci_evidence: j.evidence ? JSON.stringify(j.evidence) : null,
    })),
  );
}
