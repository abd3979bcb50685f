import { lastChangeOf, pageLinks, siteLink } from '../api/present.ts';
import type { OpenOpportunity } from '../api/repo.ts';
import { formatDeadline } from '../platform/dates.ts';
import { otherLang, type Lang, type Translate } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import { element, xmlDocument, type Markup } from './xml.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
/** The date in every id (RFC 4151 tag URIs): the month the feeds began; it never changes. */
const TAG_DATE = '2026-12-01';
/** An empty feed's `updated` (required): a fixed day, so its ETag stays put. */
const FEEDS_BEGAN = new Date(`${TAG_DATE}T00:00:00Z`);

export interface FeedInput {
  opportunities: OpenOpportunity[];
  lang: Lang;
  t: Translate;
  publicUrl: string;
  now: Date;
}

/**
 * The ids are tag URIs under the site's host name and the feeds' first day: the same for an
 * opportunity in every version of the feed, and one per language (each feed's entry is a text
 * of its own).
 */
function tagOf(publicUrl: string, specific: string): string {
  return `tag:${new URL(publicUrl).hostname},${TAG_DATE}:${specific}`;
}

function entry(o: OpenOpportunity, input: FeedInput): Markup {
  const { lang, t, publicUrl, now } = input;
  const other = otherLang(lang);
  const pages = pageLinks(publicUrl, 'opportunity', { ref: o.reference });
  const closes = o.closesAt
    ? ` ${t('feeds.atom.closes', { deadline: formatDeadline(o.closesAt, lang) })}`
    : '';
  return element(
    'entry',
    {},
    element('id', {}, tagOf(publicUrl, `opportunity/${o.reference}/${lang}`)),
    element('title', { type: 'text' }, o.title[lang]),
    element('updated', {}, lastChangeOf(o, now).toISOString()),
    element('published', {}, o.publishedAt.toISOString()),
    element(
      'author',
      {},
      element('name', {}, `${o.department.name[lang]} (${o.department.acronym[lang]})`),
    ),
    element('summary', { type: 'text' }, `${o.summary[lang]}${closes}`),
    element('link', { rel: 'alternate', type: 'text/html', hreflang: lang, href: pages[lang] }),
    element('link', { rel: 'alternate', type: 'text/html', hreflang: other, href: pages[other] }),
    ...o.skills[lang].map((skill) => element('category', { term: skill })),
  );
}

/** The feed of one language: newest first, each entry linking to its page in both languages. */
export function opportunitiesFeed(input: FeedInput): string {
  const { opportunities, lang, t, publicUrl, now } = input;
  const other = otherLang(lang);
  const link = (name: 'opportunities' | 'opportunitiesFeed', to: Lang) =>
    siteLink(publicUrl, url(name, {}, to));
  const updated = opportunities.length
    ? Math.max(...opportunities.map((o) => lastChangeOf(o, now).getTime()))
    : FEEDS_BEGAN.getTime();
  return xmlDocument(
    element(
      'feed',
      { xmlns: ATOM, 'xml:lang': lang },
      element('id', {}, tagOf(publicUrl, `opportunities/${lang}`)),
      element('title', { type: 'text' }, t('feeds.atom.title')),
      element('subtitle', { type: 'text' }, t('feeds.atom.subtitle')),
      element('updated', {}, new Date(updated).toISOString()),
      element('author', {}, element('name', {}, t('common.siteName'))),
      element('link', {
        rel: 'self',
        type: 'application/atom+xml',
        href: link('opportunitiesFeed', lang),
      }),
      element('link', {
        rel: 'alternate',
        type: 'text/html',
        hreflang: lang,
        href: link('opportunities', lang),
      }),
      element('link', {
        rel: 'alternate',
        type: 'application/atom+xml',
        hreflang: other,
        href: link('opportunitiesFeed', other),
      }),
      ...opportunities.map((o) => entry(o, input)),
    ),
  );
}
