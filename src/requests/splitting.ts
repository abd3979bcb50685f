import type { Knex } from 'knex';
import { CAP_CENTS } from '../platform/money.ts';

/** Another purchase that counts with this one against the cap (DOMAIN.md: contract splitting). */
interface RelatedPurchase {
  reference: string;
  title: { en: string; fr: string };
  status: string;
  maxTotalCents: number;
  sameCostCentre: boolean;
  sameRepository: boolean;
}

export interface SplittingCheck {
  related: RelatedPurchase[];
  /** This request's tax-inclusive maximum plus the related ones'. */
  totalCents: number;
  exceedsCap: boolean;
}

/** States in which no money was or will be committed: they do not count. */
const uncommitted = ['draft', 'declined', 'cancelled', 'no_qualified_applicant', 'terminated'];

const WINDOW = "interval '12 months'";

/** Any number: the namespace of the advisory lock that serializes submissions per department. */
const SPLITTING_LOCK = 0x5911;

/**
 * Two related requests submitted at the same moment would each see the other as a draft and
 * escape the check: submissions of one department take this lock, until their commit.
 */
export async function lockSplittingCheck(
  trx: Knex.Transaction,
  departmentId: number,
): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [SPLITTING_LOCK, departmentId]);
}

/**
 * The department's other opportunities of the same cost centre or the same repository started
 * within the last 12 months, and whether they and this one together pass $10,000. Another
 * department buying from the same repository is not splitting (nor is it shown here). Awards to
 * the same supplier join this list when contracts exist (a later issue).
 */
export async function checkSplitting(
  trx: Knex | Knex.Transaction,
  request: {
    id: number;
    department_id: number;
    cost_centre: string | null;
    repository_url: string;
    max_total_cents: number | null;
  },
  now: Date,
): Promise<SplittingCheck> {
  // The canonical `host/owner/name`, as the database derives it for every row (migration
  // 20261202000600): the variants of one address are one repository.
  const repository = trx.raw('canonical_repository(?)', [request.repository_url]);
  const rows: {
    reference: string;
    title_en: string;
    title_fr: string;
    status: string;
    max_total_cents: number;
    same_cost_centre: boolean;
    same_repository: boolean;
  }[] = await trx('opportunities')
    .where('department_id', request.department_id)
    .whereNot('id', request.id)
    .whereNotIn('status', uncommitted)
    .whereNotNull('max_total_cents')
    .andWhere('created_at', '>', trx.raw(`?::timestamptz - ${WINDOW}`, [now]))
    .andWhere((q) => {
      q.where('cost_centre', request.cost_centre ?? '').orWhere('repository', repository);
    })
    .orderBy('reference')
    .select(
      'reference',
      'title_en',
      'title_fr',
      'status',
      'max_total_cents',
      trx.raw('cost_centre = ? as same_cost_centre', [request.cost_centre ?? '']),
      trx.raw('coalesce(repository = ?, false) as same_repository', [repository]),
    );
  const related = rows.map((r) => ({
    reference: r.reference,
    title: { en: r.title_en, fr: r.title_fr },
    status: r.status,
    maxTotalCents: r.max_total_cents,
    sameCostCentre: r.same_cost_centre,
    sameRepository: r.same_repository,
  }));
  const totalCents =
    (request.max_total_cents ?? 0) + related.reduce((sum, r) => sum + r.maxTotalCents, 0);
  return { related, totalCents, exceedsCap: related.length > 0 && totalCents > CAP_CENTS };
}
