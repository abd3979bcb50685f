import { describeChanges } from '../addenda/present.ts';
import { closingIn, formatCalendarDate, formatDate, formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { renderMarkdown } from '../platform/markdown.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import type { PublicOpportunity, PublicOpportunityDetail } from './repo.ts';
import { isOpen } from './states.ts';

/** The status a visitor reads on the tag; a published opportunity past its deadline is closed. */
function publicStatus(opportunity: PublicOpportunity, now: Date): string {
  if (opportunity.status === 'published' && !isOpen(opportunity, now)) return 'closed';
  return opportunity.status;
}

function closingText(closesAt: Date | null, now: Date, t: Translate): string {
  if (!closesAt) return '';
  const left = closingIn(closesAt, now);
  switch (left.kind) {
    case 'closed':
      return t('opportunities.closed');
    case 'today':
      return t('opportunities.closingToday');
    case 'tomorrow':
      return t('opportunities.closingTomorrow');
    case 'days':
      return t('opportunities.closesInDays', { count: left.days });
  }
}

export function presentSummary(o: PublicOpportunity, lang: Lang, t: Translate, now: Date) {
  const status = publicStatus(o, now);
  return {
    reference: o.reference,
    href: url('opportunity', { ref: o.reference }, lang),
    title: o.title,
    summary: o.summary,
    department: { acronym: o.departmentAcronym, name: o.departmentName },
    price: formatMoney(o.priceCents, lang),
    maxTotal: formatMoney(o.maxTotalCents, lang),
    closes: o.closesAt ? formatDeadline(o.closesAt, lang) : '',
    closesShort: o.closesAt ? formatDate(o.closesAt, lang) : '',
    closesIso: o.closesAt?.toISOString() ?? '',
    closing: closingText(o.closesAt, now, t),
    closingSoon:
      o.closesAt !== null && isOpen(o, now) && closingIn(o.closesAt, now).kind !== 'days',
    status,
    statusLabel: t(`status.${status}`),
    updated: o.addendaCount > 0,
  };
}

export function presentDetail(o: PublicOpportunityDetail, lang: Lang, t: Translate, now: Date) {
  return {
    ...presentSummary(o, lang, t, now),
    open: isOpen(o, now),
    descriptionHtml: renderMarkdown(o.description),
    skills: o.skills,
    repositoryUrl: o.repositoryUrl,
    licence: o.licence,
    opens: o.opensAt ? formatDate(o.opensAt, lang) : '',
    opensIso: o.opensAt?.toISOString() ?? '',
    deliveryDue: o.deliveryDueOn ? formatCalendarDate(o.deliveryDueOn, lang) : '',
    mandatoryCriteria: o.mandatoryCriteria,
    acceptanceCriteria: o.acceptanceCriteria,
    addenda: o.addenda.map((a) => ({
      number: a.number,
      summary: a.summary,
      date: formatDate(a.createdAt, lang),
      ...describeChanges(a, lang, t),
    })),
  };
}
