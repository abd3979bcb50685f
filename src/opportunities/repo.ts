import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import { previewStatuses, publicStatuses, type OpportunityStatus } from './states.ts';

export interface PublicOpportunity {
  id: number;
  reference: string;
  status: OpportunityStatus;
  title: string;
  summary: string;
  departmentAcronym: string;
  departmentName: string;
  priceCents: number;
  maxTotalCents: number;
  opensAt: Date | null;
  closesAt: Date | null;
  deliveryDueOn: string | null;
  addendaCount: number;
}

interface Criterion {
  position: number;
  text: string;
}

interface Addendum {
  number: number;
  summary: string;
  createdAt: Date;
  /** The columns it changed, e.g. ["title_en", "closes_at"]. */
  changes: string[];
  previousClosesAt: Date | null;
  newClosesAt: Date | null;
}

export interface PublicOpportunityDetail extends PublicOpportunity {
  description: string;
  skills: string[];
  repositoryUrl: string;
  licence: string;
  mandatoryCriteria: Criterion[];
  acceptanceCriteria: Criterion[];
  addenda: Addendum[];
}

function summaryColumns(db: Db, lang: Lang) {
  return [
    'o.id',
    'o.reference',
    'o.status',
    `o.title_${lang} as title`,
    `o.summary_${lang} as summary`,
    `d.acronym_${lang} as departmentAcronym`,
    `d.name_${lang} as departmentName`,
    'o.price_cents as priceCents',
    'o.max_total_cents as maxTotalCents',
    'o.opens_at as opensAt',
    'o.closes_at as closesAt',
    'o.delivery_due_on as deliveryDueOn',
    db.raw('(SELECT count(*) FROM addenda a WHERE a.opportunity_id = o.id)::int as "addendaCount"'),
  ];
}

/** Who is looking: the public, or the client previewing the page before it is published. */
export type Audience = 'public' | 'preview';

/**
 * Public: in a state that follows publishing and opened by `now` — a request cancelled before
 * it was published never opened, and one published to open later is not shown before then.
 */
function publicOpportunities(db: Db, lang: Lang, now: Date, audience: Audience = 'public') {
  const query = db('opportunities as o').join('departments as d', 'd.id', 'o.department_id');
  if (audience === 'preview') query.whereIn('o.status', previewStatuses);
  else query.whereIn('o.status', publicStatuses).where('o.opens_at', '<=', now);
  return query.select(summaryColumns(db, lang));
}

/** Every opportunity the public may see, soonest deadline first. */
export async function listPublicOpportunities(
  db: Db,
  lang: Lang,
  now: Date,
): Promise<PublicOpportunity[]> {
  return publicOpportunities(db, lang, now).orderBy([
    { column: 'o.closes_at', order: 'asc' },
    { column: 'o.reference', order: 'asc' },
  ]);
}

async function criteria(db: Db, table: string, opportunityId: number, lang: Lang) {
  return db(table)
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select<Criterion[]>('position', `text_${lang} as text`);
}

/** The client's preview shows the same page before it is public. */
export async function findPublicOpportunity(
  db: Db,
  reference: string,
  lang: Lang,
  now: Date,
  audience: Audience = 'public',
): Promise<PublicOpportunityDetail | undefined> {
  const row = await publicOpportunities(db, lang, now, audience)
    .where('o.reference', reference)
    .first(
      `o.description_${lang} as description`,
      `o.skills_${lang} as skills`,
      'o.repository_url as repositoryUrl',
      'o.licence',
    );
  if (!row) return undefined;
  const [mandatoryCriteria, acceptanceCriteria, addenda] = await Promise.all([
    criteria(db, 'mandatory_criteria', row.id, lang),
    criteria(db, 'acceptance_criteria', row.id, lang),
    db('addenda')
      .where({ opportunity_id: row.id })
      .orderBy('number')
      .select<Addendum[]>(
        'number',
        `summary_${lang} as summary`,
        'created_at as createdAt',
        'changes',
        'previous_closes_at as previousClosesAt',
        'new_closes_at as newClosesAt',
      ),
  ]);
  return { ...row, mandatoryCriteria, acceptanceCriteria, addenda };
}
