import type { Db } from '../db/knex.ts';
import { publicNameOf } from '../draw/winner.ts';
import { easternDate } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { csvDocument, csvDollars } from '../platform/csv.ts';

/** A contract the winner accepted: under way, done, or ended since for non-delivery. */
const awardedContractStatuses = ['in_progress', 'delivered', 'accepted', 'completed', 'terminated'];

interface AwardedContract {
  reference: string;
  title: string;
  department: string;
  /** As the public may know it: the name only if the winner chose to be named. */
  supplier: string | undefined;
  priceCents: number;
  maxTotalCents: number;
  awardedAt: Date;
  completedAt: Date | null;
}

/**
 * Every awarded contract, newest award first: the award is the winner's acceptance of the terms,
 * the completion the contract's own completion (both from the events, the audit log).
 */
async function listAwardedContracts(db: Db, lang: Lang): Promise<AwardedContract[]> {
  // The actions are the contract machine's own names, never input.
  const eventAt = (action: 'accept_terms' | 'complete_contract', as: string) =>
    db.raw(
      `(SELECT max(e.at) FROM events e WHERE e.entity_type = 'contract' AND e.entity_id = c.id AND e.action = '${action}') as ${as}`,
    );
  const rows = await db('contracts as c')
    .join('opportunities as o', 'o.id', 'c.opportunity_id')
    .join('departments as d', 'd.id', 'c.department_id')
    .join('users as u', 'u.id', 'c.supplier_id')
    .leftJoin('supplier_profiles as p', 'p.user_id', 'c.supplier_id')
    .whereIn('c.status', awardedContractStatuses)
    .select(
      'o.reference',
      `o.title_${lang} as title`,
      `d.name_${lang} as department`,
      'p.named_if_selected',
      'p.business_name',
      'u.display_name',
      'p.legal_name',
      'o.price_cents',
      'o.max_total_cents',
      eventAt('accept_terms', 'awarded_at'),
      eventAt('complete_contract', 'completed_at'),
    )
    .orderBy([
      { column: 'awarded_at', order: 'desc' },
      { column: 'o.reference', order: 'desc' },
    ]);
  return rows.map((row) => ({
    reference: row.reference,
    title: row.title,
    department: row.department,
    supplier: (row.named_if_selected === true && publicNameOf(row)) || undefined,
    priceCents: row.price_cents,
    maxTotalCents: row.max_total_cents,
    awardedAt: row.awarded_at,
    completedAt: row.completed_at,
  }));
}

/** Dollars with a point and two decimals, in both languages: a number a program reads. */

/** The proactive disclosure file of awarded contracts, in one language. */
export async function awardedContractsCsv(db: Db, lang: Lang, t: Translate): Promise<string> {
  const contracts = await listAwardedContracts(db, lang);
  const columns = [
    'reference',
    'title',
    'department',
    'supplier',
    'priceBeforeTax',
    'maximumWithTax',
    'awardDate',
    'completionDate',
  ];
  return csvDocument(
    columns.map((c) => t(`feeds.disclosure.columns.${c}`)),
    contracts.map((c) => [
      c.reference,
      c.title,
      c.department,
      c.supplier ?? t('feeds.disclosure.notDisclosed'),
      csvDollars(c.priceCents),
      csvDollars(c.maxTotalCents),
      easternDate(c.awardedAt),
      c.completedAt ? easternDate(c.completedAt) : null,
    ]),
  );
}
