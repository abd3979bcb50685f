import type { Db } from '../db/knex.ts';
import { csvDocument, csvDollars } from '../platform/csv.ts';
import { easternDate } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { applicationRows, opportunityRows, paymentRows, quarterRows } from './export-rows.ts';
import type { ScopeBindings } from './repo.ts';

/** The staff page's exports, by their name in the route table's `…Csv` pages. */
export const staffExports = ['opportunities', 'applications', 'payments', 'quarters'] as const;
export type StaffExport = (typeof staffExports)[number];

interface ExportContext {
  db: Db;
  scope: ScopeBindings;
  lang: Lang;
  t: Translate;
  /** A platform administrator reads suppliers' identities; department staff never do. */
  showsSuppliers: boolean;
  /** The fiscal years the quarterly summary lists, and today's Toronto date. */
  years: { first: number; last: number; today: string };
}

/** A Toronto calendar date, or an empty cell. */
const day = (at: Date | null) => (at ? easternDate(at) : null);
/** The opportunity states that end it, shown as its exit; one under way has none yet. */
const exits = new Set(['completed', 'cancelled', 'no_qualified_applicant', 'terminated']);

const header = (t: Translate, columns: readonly string[]) =>
  columns.map((c) => t(`metrics.exports.columns.${c}`));

async function opportunities(c: ExportContext): Promise<string> {
  const rows = await opportunityRows(c.db, c.scope);
  return csvDocument(
    header(c.t, [
      'reference',
      'titleEn',
      'titleFr',
      'department',
      'status',
      'priceBeforeTax',
      'valueWithTax',
      'published',
      'closes',
      'awarded',
      'completed',
      'applications',
      'exit',
    ]),
    rows.map((r) => [
      r.reference,
      r.title_en,
      r.title_fr,
      c.lang === 'fr' ? r.department_fr : r.department_en,
      c.t(`status.${r.status}`),
      csvDollars(r.price_cents),
      csvDollars(r.max_total_cents),
      day(r.published_at),
      day(r.closes_at),
      day(r.awarded_at),
      day(r.completed_at),
      r.applications,
      exits.has(r.status) ? c.t(`status.${r.status}`) : null,
    ]),
  );
}

async function applications(c: ExportContext): Promise<string> {
  const rows = await applicationRows(c.db, c.scope);
  const yesNo = (value: boolean | null) =>
    value === null ? null : c.t(value ? 'metrics.exports.yes' : 'metrics.exports.no');
  return csvDocument(
    header(c.t, ['applicant', 'reference', 'submitted', 'passed', 'won']),
    rows.map((r) => [
      c.t('metrics.exports.applicant', { number: r.number }),
      r.reference,
      day(r.submitted_at),
      // Not evaluated yet: neither passed nor failed.
      yesNo(r.status === 'submitted' ? null : r.status === 'passed'),
      yesNo(r.won),
    ]),
  );
}

async function payments(c: ExportContext): Promise<string> {
  const rows = await paymentRows(c.db, c.scope);
  return csvDocument(
    header(c.t, [
      'invoice',
      'reference',
      'supplier',
      'method',
      'paymentStatus',
      'amount',
      'received',
      'certified',
      'paid',
      'daysToPay',
    ]),
    rows.map((r) => [
      r.invoice_number,
      r.reference,
      // As in the audit log (src/audit/present.ts): department staff read "a supplier".
      c.showsSuppliers
        ? `${r.supplier_legal_name} (${r.supplier_email})`
        : c.t('review.history.supplier'),
      c.t(`payments.methods.${r.method}`),
      c.t(`lifecycle.states.payment.${r.status}`),
      csvDollars(r.amount_cents),
      day(r.received_at),
      day(r.certified_at),
      r.paid_on,
      r.days_to_pay,
    ]),
  );
}

async function quarters(c: ExportContext): Promise<string> {
  const rows = await quarterRows(c.db, c.scope, c.years);
  return csvDocument(
    header(c.t, ['department', 'fiscalYear', 'quarter', 'contracts', 'value']),
    rows.map((r) => [
      c.lang === 'fr' ? r.department_fr : r.department_en,
      `${r.fiscal_year}-${r.fiscal_year + 1}`,
      c.t(`metrics.exports.quarters.q${r.quarter}`),
      r.contracts,
      csvDollars(r.value_cents),
    ]),
  );
}

export const exportFile: Record<StaffExport, (c: ExportContext) => Promise<string>> = {
  opportunities,
  applications,
  payments,
  quarters,
};
