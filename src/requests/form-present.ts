import type { OpportunityRow } from '../opportunities/row.ts';
import { formatCalendarDate, formatDate } from '../platform/dates.ts';
import type { FieldError } from '../platform/forms.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { renderMarkdown } from '../platform/markdown.ts';
import {
  CAP_CENTS,
  formatMoney,
  HIGHEST_TAX_BASIS_POINTS,
  MAX_TYPED_AMOUNT_LENGTH,
  maxTotalCents,
  taxCents,
} from '../platform/money.ts';
import type { PageContext } from '../platform/router.ts';
import { readPrice } from './form-schemas.ts';
import type { Refusal, reviewOf } from './form-service.ts';
import { osiLicences } from './licences.ts';
import type { CriterionRow, OwnRequestRow } from './repo.ts';
import { pairIn, textIn } from './texts.ts';
import { firstUnfinishedStep, requestSteps, stepName, type StepNumber } from './steps.ts';

/** `15%` / `15 %` (with a no-break space, as Intl writes French). */
function formatPercent(basisPoints: number, lang: Lang): string {
  return new Intl.NumberFormat(`${lang}-CA`, {
    style: 'percent',
    maximumFractionDigits: 2,
  }).format(basisPoints / 10_000);
}

export const highestTaxRate = (lang: Lang) => formatPercent(HIGHEST_TAX_BASIS_POINTS, lang);

/** A stored price as the form shows it back: `6500.00` / `6500,00`. */
function priceInput(cents: number | null, lang: Lang): string {
  if (cents === null) return '';
  const text = (cents / 100).toFixed(2);
  return lang === 'fr' ? text.replace('.', ',') : text;
}

export type TaxSummary =
  | { state: 'empty' }
  | { state: 'unreadable' }
  | {
      state: 'amounts';
      rate: string;
      price: string;
      tax: string;
      total: string;
      cap: string;
      remaining?: string;
      excess?: string;
    };

/**
 * Price, tax at the highest rate, total and what is left under (or over) the cap. It shows the
 * form's refused values too, so it reads no more of what was typed than an amount can be.
 */
export function taxSummaryOf(typed: string, lang: Lang): TaxSummary {
  if (typed.length > MAX_TYPED_AMOUNT_LENGTH) return { state: 'unreadable' };
  if (typed.trim() === '') return { state: 'empty' };
  const price = readPrice(typed);
  if (price === undefined) return { state: 'unreadable' };
  const total = maxTotalCents(price);
  return {
    state: 'amounts',
    rate: highestTaxRate(lang),
    price: formatMoney(price, lang),
    tax: formatMoney(taxCents(price, HIGHEST_TAX_BASIS_POINTS), lang),
    total: formatMoney(total, lang),
    cap: formatMoney(CAP_CENTS, lang),
    ...(total <= CAP_CENTS
      ? { remaining: formatMoney(CAP_CENTS - total, lang) }
      : { excess: formatMoney(total - CAP_CENTS, lang) }),
  };
}

const text = (request: OpportunityRow, name: string) =>
  String(request[`${name}_${request.source_language}`] ?? '');

const criteriaText = (rows: CriterionRow[], lang: Lang) =>
  rows
    .map((c) => c[`text_${lang}`])
    .filter((t) => t.trim() !== '')
    .join('\n');

/** What a step's form shows from the saved draft. */
export function stepValues(
  step: StepNumber,
  request: OpportunityRow,
  criteria: { mandatory: CriterionRow[]; acceptance: CriterionRow[] },
  lang: Lang,
): Record<string, string> {
  const source = request.source_language;
  switch (step) {
    case 1:
      return {
        title: text(request, 'title'),
        summary: text(request, 'summary'),
        description: text(request, 'description'),
      };
    case 2:
      return {
        repositoryUrl: request.repository_url,
        licence: request.licence,
        skills: ((request[`skills_${source}`] as string[] | undefined) ?? []).join('\n'),
      };
    case 3:
      return {
        acceptanceCriteria: criteriaText(criteria.acceptance, source),
        ciChecks: criteria.acceptance
          .filter((c) => c.ci_check)
          .map((c) => `${c.position}: ${c.ci_check}`)
          .join('\n'),
        mandatoryCriteria: criteriaText(criteria.mandatory, source),
      };
    case 4:
      return {
        price: priceInput(request.price_cents, lang),
        deliveryDueOn: request.delivery_due_on ?? '',
        preferredOpensOn: request.preferred_opens_on ?? '',
        preferredClosesOn: request.preferred_closes_on ?? '',
      };
    case 5:
      return {
        costCentre: request.cost_centre ?? '',
        fund: request.fund ?? '',
        glAccount: request.gl_account ?? '',
        paymentMethod: request.payment_method ?? '',
      };
  }
}

export const licenceOptions = osiLicences.map((l) => ({
  value: l.id,
  label: `${l.id} — ${l.name}`,
  // Licence names are proper names in English (SPDX).
  lang: 'en',
}));

/** The step list beside every step: each step, whether it is saved, and the one shown. */
export function stepList(
  request: OpportunityRow,
  current: StepNumber | 'review',
  page: PageContext,
) {
  const done = (request.completed_steps as string[] | undefined) ?? [];
  return requestSteps.map((s) => ({
    number: s.number,
    name: page.t(`requests.steps.${s.name}`),
    done: done.includes(String(s.number)),
    current: s.number === current,
    href: page.url('requestStep', { ref: request.reference, step: s.number }),
  }));
}

/** Refusals as the error summary shows them, amounts and dates in the page's language. */
export function refusalErrors(refusals: Refusal[], t: Translate, lang: Lang): FieldError[] {
  return refusals.map((r) => {
    const values: Record<string, string> = {};
    for (const [name, cents] of Object.entries(r.amounts ?? {})) {
      values[name] = formatMoney(cents, lang);
    }
    for (const [name, date] of Object.entries(r.dates ?? {})) {
      values[name] = formatCalendarDate(date, lang);
    }
    return { field: r.field, message: t(r.key, values) };
  });
}

const knownNextSteps = [
  'submitted',
  'screened',
  'funds_approved',
  'translated',
  'ready',
  'published',
  'declined',
];

/** What the client does next, or waits for, on each of their requests. */
function nextStepOf(r: OwnRequestRow, page: PageContext): { text: string; href?: string } {
  const ref = r.reference;
  if (r.status === 'draft') {
    const step = firstUnfinishedStep(r.completed_steps ?? []);
    if (r.returned)
      return { text: page.t('requests.next.returned'), href: page.url('requestReview', { ref }) };
    if (step) {
      return {
        text: page.t('requests.next.continue', {
          step,
          name: page.t(`requests.steps.${stepName(step)}`),
        }),
        href: page.url('requestStep', { ref, step }),
      };
    }
    return { text: page.t('requests.next.review'), href: page.url('requestReview', { ref }) };
  }
  return {
    text: page.t(`requests.next.${knownNextSteps.includes(r.status) ? r.status : 'other'}`),
  };
}

export function presentOwnRequests(rows: OwnRequestRow[], page: PageContext) {
  const { lang, t } = page;
  return rows.map((r) => {
    const ref = r.reference;
    const title = textIn(r, 'title', lang);
    return {
      reference: ref,
      href:
        r.status === 'draft' ? page.url('requestReview', { ref }) : page.url('request', { ref }),
      title: title.text || t('requests.list.untitled'),
      titleLang: title.text ? title.lang : lang,
      status: r.status,
      statusLabel: t(`status.${r.status}`),
      returned: r.returned,
      lastChange: formatDate(new Date(r.updated_at), lang),
      next: nextStepOf(r, page),
    };
  });
}

type Review = Awaited<ReturnType<typeof reviewOf>>;

/** The review page: every answer in reading order, the problems, contract splitting, returns. */
export function presentReview(request: OpportunityRow, review: Review, page: PageContext) {
  const { lang, t } = page;
  const source = request.source_language;
  const ref = request.reference;
  const date = (value: string | null) => (value ? formatCalendarDate(value, lang) : '');
  const price = request.price_cents;
  const licence = osiLicences.find((l) => l.id === request.licence);
  const criteria = (rows: CriterionRow[]) =>
    rows.map((c) => c[`text_${source}`]).filter((c) => c.trim() !== '');
  const { splitting } = review;
  return {
    reference: ref,
    version: request.version,
    sourceLanguage: t(`requests.languages.${source}`),
    stepHref: (step: number) => page.url('requestStep', { ref, step }),
    about: {
      title: text(request, 'title'),
      summary: text(request, 'summary'),
      descriptionHtml: renderMarkdown(text(request, 'description')),
    },
    code: {
      repositoryUrl: request.repository_url,
      licence: licence ? `${licence.id} — ${licence.name}` : request.licence,
      skills: (request[`skills_${source}`] as string[] | undefined) ?? [],
    },
    criteria: {
      acceptance: criteria(review.criteria.acceptance),
      ciChecks: review.criteria.acceptance.flatMap((c) =>
        c.ci_check
          ? [t('requests.review.ciCheck', { position: c.position, name: c.ci_check })]
          : [],
      ),
      mandatory: criteria(review.criteria.mandatory),
    },
    price:
      price === null
        ? undefined
        : {
            rate: highestTaxRate(lang),
            price: formatMoney(price, lang),
            tax: formatMoney(taxCents(price, HIGHEST_TAX_BASIS_POINTS), lang),
            total: formatMoney(maxTotalCents(price), lang),
          },
    dates: {
      deliveryDue: date(request.delivery_due_on),
      opensOn: date(request.preferred_opens_on),
      closesOn: date(request.preferred_closes_on),
    },
    finances: {
      costCentre: request.cost_centre ?? '',
      fund: request.fund ?? '',
      glAccount: request.gl_account ?? '',
      paymentMethod: request.payment_method ? t(`requests.fields.${request.payment_method}`) : '',
    },
    problems: review.problems.map((p) => ({
      message: t(`requests.rules.${p.code}`),
      href: page.url('requestStep', { ref, step: p.step }),
    })),
    splitting: {
      exceedsCap: splitting.exceedsCap,
      total: formatMoney(splitting.totalCents, lang),
      cap: formatMoney(CAP_CENTS, lang),
      related: splitting.related.map((r) => ({
        reference: r.reference,
        title: pairIn(r.title, lang).text,
        titleLang: pairIn(r.title, lang).lang,
        status: t(`status.${r.status}`),
        amount: formatMoney(r.maxTotalCents, lang),
        relation: [
          ...(r.sameCostCentre ? [t('requests.review.splitting.sameCostCentre')] : []),
          ...(r.sameRepository ? [t('requests.review.splitting.sameRepository')] : []),
        ].join(', '),
      })),
    },
    returns: review.returns.map((r) => ({
      date: formatDate(new Date(r.at), lang),
      reason: r.reason,
      // Typed on a page in the other language (WCAG 3.1.2); not known for older returns.
      reasonLang: r.reason_lang && r.reason_lang !== lang ? r.reason_lang : null,
    })),
  };
}
