import type { StepStanding } from '../lifecycle/overrides.ts';
import { availableActions } from '../lifecycle/access.ts';
import { invoiceMachine } from '../invoices/machine.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate, formatCalendarDate, formatDate, formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { pairIn, textIn } from '../requests/texts.ts';
import { actionLabelKey } from '../review/history.ts';
import { presentDepartment } from '../review/present.ts';
import type { Evidence } from './evidence.ts';
import type { QueuedInvoice } from './repo.ts';
import { section34Wording } from './wording.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days since the invoice was received, as the queue's age. */
const ageInDays = (receivedAt: Date, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - new Date(receivedAt).getTime()) / DAY_MS));

/** Prompt payment: a due date before today (Eastern time) is overdue. */
const isOverdue = (dueOn: string, now: Date) => dueOn < easternDate(now);

export function presentQueue(rows: readonly QueuedInvoice[], now: Date, lang: Lang, t: Translate) {
  return rows.map((r) => {
    const title = textIn(r, 'title', lang);
    const age = ageInDays(r.received_at, now);
    return {
      reference: r.reference,
      href: url('certificationEvidence', { ref: r.reference }, lang),
      title: title.text,
      titleLang: title.lang,
      invoiceNumber: r.invoice_number,
      supplier: r.supplier_legal_name,
      total: formatMoney(r.amount_cents, lang),
      received: formatDate(r.received_at, lang),
      receivedIso: new Date(r.received_at).toISOString(),
      age: t('certification.queue.days', { count: age }),
      due: formatCalendarDate(r.payment_due_on, lang),
      dueIso: r.payment_due_on,
      overdue: isOverdue(r.payment_due_on, now),
    };
  });
}

/** URLs found in a contract step's payload (the delivery's links), shown as links. */
function linksIn(payload: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string' && /^https?:\/\/\S+$/.test(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(payload);
  return found;
}

function presentInvoice(e: Evidence, lang: Lang, t: Translate) {
  const i = e.invoice;
  return {
    number: i.invoice_number,
    date: formatCalendarDate(i.invoice_date, lang),
    received: formatDeadline(i.received_at, lang),
    due: formatCalendarDate(i.payment_due_on, lang),
    reservationNumber: i.reservation_number,
    preTax: formatMoney(i.pre_tax_cents, lang),
    province: t(`provinces.${i.province}`),
    taxLabel: i.tax_kind
      ? t(`certification.evidence.invoice.tax.${i.tax_kind}`, {
          rate: new Intl.NumberFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', {
            style: 'percent',
            maximumFractionDigits: 3,
          }).format(i.tax_basis_points / 10_000),
        })
      : t('certification.evidence.invoice.tax.none'),
    tax: formatMoney(i.tax_cents, lang),
    total: formatMoney(i.amount_cents, lang),
    registration: i.gst_hst_number || t('certification.evidence.invoice.unregistered'),
    supplier: i.supplier_legal_name,
    supplierEmail: i.supplier_email,
    status: i.status,
    statusLabel: t(`lifecycle.states.invoice.${i.status}`),
    matchesReservation: e.section32?.reservation_number === i.reservation_number,
  };
}

function presentSection32(e: Evidence, lang: Lang) {
  const s = e.section32;
  if (!s) return null;
  return {
    reservationNumber: s.reservation_number,
    amount: formatMoney(s.amount_cents, lang),
    coding: { costCentre: s.cost_centre, fund: s.fund, glAccount: s.gl_account },
    approver: s.approver_name || s.approver_email,
    approvedAt: formatDeadline(s.approved_at, lang),
  };
}

/**
 * The work acceptance criteria as the client judged them in the review that accepted the work
 * (the last review): met or not, with the client's comment.
 */
function presentChecklist(e: Evidence, lang: Lang, t: Translate) {
  const review = [...e.rounds].reverse().find((r) => r.review)?.review;
  return e.criteria.map((criterion) => {
    const text = pairIn({ en: criterion.text_en, fr: criterion.text_fr }, lang);
    const judged = review?.criteria.find((c) => c.acceptance_criterion_id === Number(criterion.id));
    return {
      position: criterion.position,
      text: text.text,
      lang: text.lang,
      verdict: judged
        ? t(`certification.evidence.acceptance.${judged.met ? 'met' : 'notMet'}`)
        : t('certification.evidence.acceptance.notReviewed'),
      met: judged?.met ?? false,
      comment: judged?.comment ?? '',
      checks: (e.checks.get(Number(criterion.id)) ?? []).map((check) => ({
        text: t(`delivery.checks.states.${check.state}`, { name: criterion.ci_check ?? '' }),
        pullRequest: check.pullRequest,
        href: check.href ?? '',
      })),
      commentLang: review?.reason_lang ?? lang,
    };
  });
}

/** What the manager may do now: certify, ask for an override, wait for one, or nothing. */
function presentDecision(
  e: Evidence,
  standing: StepStanding,
  viewer: CurrentUser,
  lang: Lang,
  t: Translate,
) {
  const row = e.invoice;
  const allowed = new Set(availableActions(invoiceMachine, row, viewer));
  const ref = e.opportunity.reference;
  const conflicts =
    standing.kind === 'clear' ? [] : standing.conflicts.map((c) => t(`segregation.${c.reason}`));
  const override = standing.kind === 'overridable' ? standing.override : undefined;
  const overrideConfirmed = Boolean(override?.confirmedBy);
  const mayCertify = allowed.has('certify') && (standing.kind === 'clear' || overrideConfirmed);
  return {
    version: e.invoice.version,
    conflicts,
    barred: allowed.has('certify') && standing.kind === 'barred',
    proposeOverride:
      allowed.has('certify') && standing.kind === 'overridable' && !override
        ? url('certificationOverride', { ref }, lang)
        : null,
    overrideAwaiting:
      override && !overrideConfirmed
        ? { reason: override.reason, at: formatDeadline(override.proposedAt, lang) }
        : null,
    overrideConfirmedAt:
      override?.confirmedAt && overrideConfirmed ? formatDeadline(override.confirmedAt, lang) : '',
    certify: mayCertify ? url('certifyInvoice', { ref }, lang) : null,
    wording: section34Wording(e.invoice, lang, t),
    returnInvoice: allowed.has('return_invoice') ? url('returnInvoice', { ref }, lang) : null,
  };
}

export function presentEvidence(
  e: Evidence,
  standing: StepStanding,
  viewer: CurrentUser,
  lang: Lang,
  t: Translate,
) {
  const title = textIn(e.opportunity, 'title', lang);
  const c = e.certification;
  return {
    reference: e.opportunity.reference,
    title: title.text,
    titleLang: title.lang,
    department: presentDepartment(e.department, lang),
    deliveryDue: e.opportunity.delivery_due_on
      ? formatCalendarDate(e.opportunity.delivery_due_on, lang)
      : '',
    section32: presentSection32(e, lang),
    terms: e.terms
      ? {
          version: e.terms.number,
          acceptedAt: formatDeadline(e.terms.accepted_at, lang),
          language: t(`review.languages.${e.terms.language}`),
        }
      : null,
    criteria: presentChecklist(e, lang, t),
    rounds: e.rounds.map((r) => ({
      round: r.round,
      deliveredAt: formatDeadline(r.delivered_at, lang),
      links: r.links.map((link) => ({ kind: t(`delivery.kinds.${link.kind}`), url: link.url })),
      notes: r.notes,
      notesLang: r.notes_lang,
      outcome: r.review ? t(`certification.evidence.acceptance.outcomes.${r.review.outcome}`) : '',
      reviewedAt: r.review ? formatDeadline(r.review.reviewed_at, lang) : '',
    })),
    steps: e.steps.map((step) => ({
      label: t(actionLabelKey('contract', step.action)),
      at: formatDeadline(step.at, lang),
      atIso: new Date(step.at).toISOString(),
      actor: step.actor_name ?? '',
      reason: step.reason,
      links: linksIn(step.payload ?? {}),
    })),
    invoice: presentInvoice(e, lang, t),
    certification: c
      ? {
          by: c.certifier_name,
          at: formatDeadline(c.certified_at, lang),
          wording: c.wording,
          wordingLang: c.wording_lang,
        }
      : null,
    decision: presentDecision(e, standing, viewer, lang, t),
  };
}
