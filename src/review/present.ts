import type { OpportunityRow } from '../opportunities/row.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { OpportunityStatus } from '../opportunities/states.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import { formatCalendarDate, formatDate, formatDeadline } from '../platform/dates.ts';
import { otherLang, type Lang, type Translate } from '../platform/i18n.ts';
import { renderMarkdown } from '../platform/markdown.ts';
import { formatMoney, HIGHEST_TAX_BASIS_POINTS } from '../platform/money.ts';
import { url, type PageName } from '../platform/routes.ts';
import { pairIn, textIn } from '../requests/texts.ts';
import type { CriterionRow } from '../requests/repo.ts';
import type { DepartmentNames, FundReservationRow, PersonName, QueueRow } from './repo.ts';
import { delegatedLimitOf, needsSplittingApproval } from '../opportunities/guards.ts';
import { presentHistory } from './history.ts';
import { allowedActions, type RequestRecord, type RoleQueues } from './service.ts';
import { repostableStatuses } from '../offers/repost.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const personName = (p: PersonName | undefined) => (p ? p.display_name || p.email : '');

const inLang = <T>(lang: Lang, en: T, fr: T) => (lang === 'fr' ? fr : en);

export function presentDepartment(d: DepartmentNames | undefined, lang: Lang) {
  return d
    ? {
        acronym: inLang(lang, d.acronym_en, d.acronym_fr),
        name: inLang(lang, d.name_en, d.name_fr),
      }
    : { acronym: '', name: '' };
}

/** A text as the client wrote it, and the other language's version when it exists. */
function versions(
  read: (lang: Lang) => string,
  source: Lang,
  t: Translate,
  render: (text: string) => string = (text) => text,
) {
  const version = (lang: Lang) => {
    const text = read(lang).trim();
    return { lang, language: t(`review.languages.${lang}`), text, html: text ? render(text) : '' };
  };
  return { source: version(source), other: version(otherLang(source)) };
}

function textFields(row: OpportunityRow, t: Translate) {
  const source = row.source_language;
  const column = (name: string) => (lang: Lang) => String(row[`${name}_${lang}`] ?? '');
  return [
    { name: 'title', label: t('review.fields.title'), ...versions(column('title'), source, t) },
    {
      name: 'summary',
      label: t('review.fields.summary'),
      ...versions(column('summary'), source, t),
    },
    {
      name: 'description',
      label: t('review.fields.description'),
      markdown: true,
      ...versions(column('description'), source, t, renderMarkdown),
    },
    {
      name: 'skills',
      label: t('review.fields.skills'),
      ...versions(
        (lang) => ((row[`skills_${lang}`] as string[] | undefined) ?? []).join(', '),
        source,
        t,
      ),
    },
  ];
}

function criteriaList(rows: CriterionRow[], source: Lang, t: Translate) {
  return rows.map((c) => versions((lang) => (lang === 'fr' ? c.text_fr : c.text_en), source, t));
}

/**
 * The amounts as recorded on the request: the total is the stored maximum, the one section 32
 * commits, even if the tax table changed since the client saved the price.
 */
export function moneyOf(row: OpportunityRow, lang: Lang) {
  const { price_cents: price, max_total_cents: total } = row;
  if (price === null || total === null) return null;
  return {
    price: formatMoney(price, lang),
    tax: formatMoney(total - price, lang),
    total: formatMoney(total, lang),
    rate: new Intl.NumberFormat(`${lang}-CA`, {
      style: 'percent',
      maximumFractionDigits: 2,
    }).format(HIGHEST_TAX_BASIS_POINTS / 10_000),
  };
}

function presentSplitting(record: RequestRecord, lang: Lang, t: Translate) {
  const { row } = record;
  const check = row.splitting_related;
  if (!check || check.related.length === 0) return null;
  return {
    exceedsCap: check.exceedsCap,
    total: formatMoney(check.totalCents, lang),
    related: check.related.map((r) => ({
      reference: r.reference,
      title: pairIn(r.title, lang).text,
      titleLang: pairIn(r.title, lang).lang,
      status: t(`status.${r.status}`),
      amount: formatMoney(r.maxTotalCents, lang),
      why: [
        ...(r.sameCostCentre ? [t('review.splitting.sameCostCentre')] : []),
        ...(r.sameRepository ? [t('review.splitting.sameRepository')] : []),
      ].join(', '),
    })),
    justification: row.splitting_justification ?? '',
    justificationLang: row.source_language,
    approvedBy: personName(record.splittingApprover),
    approvedAt: row.splitting_approved_at
      ? formatDeadline(new Date(row.splitting_approved_at as Date), lang)
      : '',
  };
}

function presentReservation(r: FundReservationRow | undefined, lang: Lang) {
  if (!r) return null;
  return {
    number: r.reservation_number,
    amount: formatMoney(r.amount_cents, lang),
    costCentre: r.cost_centre,
    fund: r.fund,
    glAccount: r.gl_account,
    limit: formatMoney(r.delegated_limit_cents, lang),
    approvedBy: r.approver_name || r.approver_email,
    approvedAt: formatDeadline(r.approved_at, lang),
    attestation: r.attestation,
    attestationLang: r.attestation_language,
    releaseRequestedAt: r.release_requested_at ? formatDeadline(r.release_requested_at, lang) : '',
    releasedPart: r.released_cents > 0 && !r.released_at ? formatMoney(r.released_cents, lang) : '',
    left: formatMoney(r.amount_cents - r.released_cents, lang),
    releasedAt: r.released_at ? formatDeadline(r.released_at, lang) : '',
    releasedBy: r.releaser_name || r.releaser_email || '',
  };
}

/** The title in the page's language once translated, else as the client wrote it. */
function titleOf(row: OpportunityRow, lang: Lang) {
  const { text, lang: titleLang } = textIn(row, 'title', lang);
  return { title: text, titleLang };
}

/** What every page about one request shows at its top, and the version its forms send back. */
export function headingOf(row: OpportunityRow, lang: Lang, t: Translate) {
  return {
    reference: row.reference,
    ...titleOf(row, lang),
    status: row.status,
    statusLabel: t(`status.${row.status}`),
    version: row.version,
    requestUrl: url('request', { ref: row.reference }, lang),
  };
}

const when = (value: unknown, lang: Lang) =>
  value ? formatDeadline(new Date(value as Date), lang) : '';

const evaluationStatuses: ReadonlySet<string> = new Set([
  'closed',
  'evaluated',
  'drawn',
  'awarded',
  'completed',
  'no_qualified_applicant',
  'terminated',
]);

/** What the viewer can do now: the lifecycle table decides, the requester also edits drafts. */
function presentActions(record: RequestRecord, viewer: CurrentUser, lang: Lang) {
  const { row } = record;
  const ref = row.reference;
  const link = (name: Parameters<typeof url>[0]) => url(name, { ref }, lang);
  const allowed = new Set(allowedActions(row, viewer));
  const isRequester = row.requester_id === viewer.id;
  const inDepartment = (...roles: Parameters<typeof hasRole>[1]) =>
    hasRole(viewer, roles, row.department_id);
  const published = row.status === 'published';
  const reservation = record.reservation;
  const actions = {
    form:
      isRequester && allowed.has('submit')
        ? { edit: url('requestStep', { ref, step: 1 }, lang), review: link('requestReview') }
        : null,
    screening: allowed.has('screen')
      ? { splittingApproval: needsSplittingApproval(row), version: row.version }
      : null,
    approveFunds: allowed.has('approve_funds') ? link('approveFunds') : null,
    translation: allowed.has('complete_translation') ? link('translation') : null,
    approvePreview:
      allowed.has('approve_preview') && isRequester && record.previewToken
        ? url('preview', { token: record.previewToken }, lang)
        : null,
    publish: allowed.has('publish') ? link('publish') : null,
    answerQuestions:
      published && inDepartment('client', 'program_officer') ? link('answerQuestions') : null,
    addendum: published && inDepartment('program_officer') ? link('addendum') : null,
    // After closing: the anonymised evaluation (src/evaluation/), and its record once locked.
    evaluation:
      evaluationStatuses.has(row.status) && (isRequester || inDepartment('program_officer'))
        ? link('evaluation')
        : null,
    cancel: allowed.has('cancel') ? link('cancelRequest') : null,
    // The contract pages (src/contracts/): the requester's and the program team's.
    contracts:
      record.contracts.length > 0 && (isRequester || inDepartment('program_officer'))
        ? record.contracts.map((c) => url('contract', { id: c.id }, lang))
        : null,
    // No qualified applicant: the requester re-posts it as a new draft (src/offers/repost.ts).
    repost: isRequester && repostableStatuses.includes(row.status) ? link('repostRequest') : null,
    releaseFunds:
      Boolean(reservation?.release_requested_at && !reservation.released_at) &&
      inDepartment('section32_manager', 'finance_officer'),
  };
  return { ...actions, any: Object.values(actions).some(Boolean) };
}

export function presentRequest(
  record: RequestRecord,
  viewer: CurrentUser,
  lang: Lang,
  t: Translate,
) {
  const { row } = record;
  const source = row.source_language;
  const token = record.previewToken;
  const seesPreview =
    row.requester_id === viewer.id || hasRole(viewer, ['program_officer'], row.department_id);
  return {
    ...headingOf(row, lang, t),
    department: presentDepartment(record.department, lang),
    requester: personName(record.requester),
    sourceLanguage: t(`review.languages.${source}`),
    /** Lowercase in French running text (« rédigé en anglais »), where the label above is capitalised. */
    sourceLanguageInText: t(`requests.languages.${source}`),
    texts: textFields(row, t),
    mandatoryCriteria: criteriaList(record.criteria.mandatory, source, t),
    acceptanceCriteria: criteriaList(record.criteria.acceptance, source, t),
    repositoryUrl: row.repository_url,
    licence: row.licence,
    money: moneyOf(row, lang),
    coding: {
      costCentre: row.cost_centre ?? '',
      fund: row.fund ?? '',
      glAccount: row.gl_account ?? '',
      paymentMethod: row.payment_method ? t(`review.paymentMethods.${row.payment_method}`) : '',
    },
    preferredOpens: row.preferred_opens_on ? formatCalendarDate(row.preferred_opens_on, lang) : '',
    preferredCloses: row.preferred_closes_on
      ? formatCalendarDate(row.preferred_closes_on, lang)
      : '',
    deliveryDue: row.delivery_due_on ? formatCalendarDate(row.delivery_due_on, lang) : '',
    problems: record.problems.map((p) => t(`requests.rules.${p.code}`)),
    splitting: presentSplitting(record, lang, t),
    reservation: presentReservation(record.reservation, lang),
    translationRequestedAt: when(row.translation_requested_at, lang),
    translationReceivedAt: when(row.translation_received_at, lang),
    previewUrl: token && seesPreview ? url('preview', { token }, lang) : '',
    history: presentHistory(record.history, lang, t),
    actions: presentActions(record, viewer, lang),
  };
}

/** The section 32 page: the amounts, the coding, the manager's limit and the wording. */
export function presentSection32(
  row: OpportunityRow,
  department: DepartmentNames | undefined,
  viewer: CurrentUser,
  lang: Lang,
  t: Translate,
) {
  const limit = delegatedLimitOf(viewer, row.department_id);
  const total = row.max_total_cents;
  return {
    ...headingOf(row, lang, t),
    department: presentDepartment(department, lang),
    money: moneyOf(row, lang),
    coding: {
      costCentre: row.cost_centre ?? '',
      fund: row.fund ?? '',
      glAccount: row.gl_account ?? '',
      paymentMethod: row.payment_method ? t(`review.paymentMethods.${row.payment_method}`) : '',
    },
    limit: limit === null ? '' : formatMoney(limit, lang),
    overLimit: total !== null && (limit ?? 0) < total,
    attestation: total === null ? '' : attestationText(total, lang, t),
    open: row.status === 'screened',
  };
}

/** The statutory wording the manager attests to, kept word for word with the reservation. */
export function attestationText(amountCents: number, lang: Lang, t: Translate): string {
  return t('review.section32.attestation', { amount: formatMoney(amountCents, lang) });
}

export function presentCancellation(
  row: OpportunityRow,
  reservation: FundReservationRow | undefined,
  lang: Lang,
  t: Translate,
) {
  return {
    ...headingOf(row, lang, t),
    open: opportunityMachine.transitions.cancel.from.includes(row.status as OpportunityStatus),
    fundsReserved: Boolean(reservation && !reservation.released_at),
  };
}

/** The page a queue's rows link to: the request's, unless the queue is of another step's. */
const queuePages: Partial<Record<string, PageName>> = {
  toEvaluate: 'evaluation',
  evaluations: 'evaluation',
};

function presentQueueRow(r: QueueRow, lang: Lang, t: Translate, now: Date, page: PageName) {
  const title = textIn(r, 'title', lang);
  const days = Math.max(0, Math.floor((now.getTime() - r.waiting_since.getTime()) / DAY_MS));
  return {
    reference: r.reference,
    href: url(page, { ref: r.reference }, lang),
    title: title.text,
    titleLang: title.lang,
    department: presentDepartment(r, lang),
    amount: r.max_total_cents === null ? '' : formatMoney(r.max_total_cents, lang),
    since: formatDate(r.waiting_since, lang),
    sinceIso: r.waiting_since.toISOString(),
    days: t('review.queues.days', { count: days }),
  };
}

export function presentQueues(sections: RoleQueues[], lang: Lang, t: Translate, now: Date) {
  return sections.map((s) => ({
    role: s.role,
    heading: t(`roles.${s.role}`),
    queues: s.queues.map((q) => ({
      name: `${s.role}-${q.name}`,
      heading: t(`review.queues.${q.name}.heading`),
      empty: t(`review.queues.${q.name}.empty`),
      rows: q.rows.map((r) => presentQueueRow(r, lang, t, now, queuePages[q.name] ?? 'request')),
    })),
  }));
}
