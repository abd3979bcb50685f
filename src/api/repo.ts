import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import { publicStatuses, type OpportunityStatus } from '../opportunities/states.ts';

type Bilingual<T = string> = Record<Lang, T>;

/** A public opportunity in both languages, as the open data (API, feeds, calendar) gives it. */
export interface OpenOpportunity {
  id: number;
  reference: string;
  status: OpportunityStatus;
  title: Bilingual;
  summary: Bilingual;
  skills: Bilingual<string[]>;
  department: { acronym: Bilingual; name: Bilingual };
  priceCents: number;
  maxTotalCents: number;
  /** When it became public: its opening (the public sees nothing of it before). */
  publishedAt: Date;
  /** The same instant to the microsecond, as PostgreSQL holds it: the cursor's sort key. */
  publishedAtExact: string;
  closesAt: Date | null;
  deliveryDueOn: string | null;
  updatedAt: Date;
}

export interface OpenOpportunityDetail extends OpenOpportunity {
  description: Bilingual;
  repositoryUrl: string;
  licence: string;
  mandatoryCriteria: Bilingual[];
  acceptanceCriteria: Bilingual[];
}

/** Where a page of the newest-first list starts: strictly after this (publishedAt, id). */
export interface After {
  publishedAtExact: string;
  id: number;
}

interface Row {
  id: string | number;
  reference: string;
  status: OpportunityStatus;
  title_en: string;
  title_fr: string;
  summary_en: string;
  summary_fr: string;
  skills_en: string[];
  skills_fr: string[];
  acronym_en: string;
  acronym_fr: string;
  name_en: string;
  name_fr: string;
  price_cents: number;
  max_total_cents: number;
  opens_at: Date;
  opens_at_exact: string;
  closes_at: Date | null;
  delivery_due_on: string | null;
  updated_at: Date;
}

const both = (row: object, name: string) => {
  const columns = row as Record<string, string>;
  return { en: columns[`${name}_en`]!, fr: columns[`${name}_fr`]! };
};

function toOpen(row: Row): OpenOpportunity {
  return {
    id: Number(row.id),
    reference: row.reference,
    status: row.status,
    title: both(row, 'title'),
    summary: both(row, 'summary'),
    skills: { en: row.skills_en, fr: row.skills_fr },
    department: { acronym: both(row, 'acronym'), name: both(row, 'name') },
    priceCents: row.price_cents,
    maxTotalCents: row.max_total_cents,
    publishedAt: row.opens_at,
    publishedAtExact: row.opens_at_exact,
    closesAt: row.closes_at,
    deliveryDueOn: row.delivery_due_on,
    updatedAt: row.updated_at,
  };
}

/**
 * The same rule as the public pages (src/opportunities/repo.ts): a state that follows publishing,
 * opened by `now`. Nothing of a draft or a request in review is ever selected.
 */
function openData(db: Db, now: Date) {
  return db('opportunities as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .whereIn('o.status', publicStatuses)
    .where('o.opens_at', '<=', now)
    .select(
      'o.id',
      'o.reference',
      'o.status',
      'o.title_en',
      'o.title_fr',
      'o.summary_en',
      'o.summary_fr',
      'o.skills_en',
      'o.skills_fr',
      'd.acronym_en',
      'd.acronym_fr',
      'd.name_en',
      'd.name_fr',
      'o.price_cents',
      'o.max_total_cents',
      'o.opens_at',
      db.raw(
        `to_char(o.opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as opens_at_exact`,
      ),
      'o.closes_at',
      db.raw(`to_char(o.delivery_due_on, 'YYYY-MM-DD') as delivery_due_on`),
      'o.updated_at',
    );
}

/** Newest first (by publication, then id), `limit` of them after `after` when given. */
export async function listOpenOpportunities(
  db: Db,
  now: Date,
  page: { limit: number; after?: After },
): Promise<OpenOpportunity[]> {
  const query = openData(db, now)
    .orderBy([
      { column: 'o.opens_at', order: 'desc' },
      { column: 'o.id', order: 'desc' },
    ])
    .limit(page.limit);
  if (page.after) {
    query.whereRaw('(o.opens_at, o.id) < (?::timestamptz, ?::bigint)', [
      page.after.publishedAtExact,
      page.after.id,
    ]);
  }
  return ((await query) as Row[]).map(toOpen);
}

async function criteria(db: Db, table: string, opportunityId: number): Promise<Bilingual[]> {
  const rows = await db(table)
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('text_en', 'text_fr');
  return rows.map((r: object) => both(r, 'text'));
}

/** One public opportunity by its reference, with its description and criteria. */
export async function findOpenOpportunity(
  db: Db,
  reference: string,
  now: Date,
): Promise<OpenOpportunityDetail | undefined> {
  const row = (await openData(db, now)
    .where('o.reference', reference)
    .first('o.description_en', 'o.description_fr', 'o.repository_url', 'o.licence')) as
    (Row & Record<string, string>) | undefined;
  if (!row) return undefined;
  const [mandatoryCriteria, acceptanceCriteria] = await Promise.all([
    criteria(db, 'mandatory_criteria', Number(row.id)),
    criteria(db, 'acceptance_criteria', Number(row.id)),
  ]);
  return {
    ...toOpen(row),
    description: both(row, 'description'),
    repositoryUrl: row.repository_url!,
    licence: row.licence!,
    mandatoryCriteria,
    acceptanceCriteria,
  };
}
