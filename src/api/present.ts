import { isOpen } from '../opportunities/states.ts';
import { url, type PageName, type UrlParams } from '../platform/routes.ts';
import type { OpenOpportunity, OpenOpportunityDetail } from './repo.ts';

/** The status a visitor reads: a published opportunity past its deadline is closed. */
function publicStatusOf(o: OpenOpportunity, now: Date): string {
  return o.status === 'published' && !isOpen(o, now) ? 'closed' : o.status;
}

/**
 * When what the public sees of it last changed: its last recorded change, its opening (it was
 * invisible before), and its deadline once passed (it reads "closed" from then on).
 */
export function lastChangeOf(o: OpenOpportunity, now: Date): Date {
  const times = [o.updatedAt.getTime(), o.publishedAt.getTime()];
  if (o.closesAt && o.closesAt.getTime() <= now.getTime()) times.push(o.closesAt.getTime());
  return new Date(Math.max(...times));
}

/** An absolute address on the site, for documents read elsewhere (feeds, API, calendars). */
export function siteLink(publicUrl: string, path: string): string {
  return (publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl) + path;
}

export function pageLinks(publicUrl: string, name: PageName, params: UrlParams) {
  return {
    en: siteLink(publicUrl, url(name, params, 'en')),
    fr: siteLink(publicUrl, url(name, params, 'fr')),
  };
}

export const API_BASE = '/api/v1';

/** One item of the list, both languages side by side. */
export function opportunityJson(o: OpenOpportunity, now: Date, publicUrl: string) {
  return {
    reference: o.reference,
    status: publicStatusOf(o, now),
    title: o.title,
    summary: o.summary,
    department: o.department,
    skills: o.skills,
    currency: 'CAD',
    price_cents: o.priceCents,
    max_total_cents: o.maxTotalCents,
    published_at: o.publishedAt.toISOString(),
    closes_at: o.closesAt?.toISOString() ?? null,
    delivery_due_on: o.deliveryDueOn,
    updated_at: lastChangeOf(o, now).toISOString(),
    links: {
      self: siteLink(publicUrl, `${API_BASE}/opportunities/${encodeURIComponent(o.reference)}`),
      page: pageLinks(publicUrl, 'opportunity', { ref: o.reference }),
      calendar: pageLinks(publicUrl, 'opportunityCalendar', { ref: o.reference }),
    },
  };
}

/** The item with what its page says besides: description, repository, licence, criteria. */
export function opportunityDetailJson(o: OpenOpportunityDetail, now: Date, publicUrl: string) {
  return {
    ...opportunityJson(o, now, publicUrl),
    description: o.description,
    repository_url: o.repositoryUrl,
    licence: o.licence,
    acceptance_criteria: o.acceptanceCriteria,
    mandatory_criteria: o.mandatoryCriteria,
  };
}
