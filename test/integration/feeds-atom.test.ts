import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  aDraftRequest,
  aPublishedOpportunity,
  aReadyRequest,
  type Scenario,
} from '../helpers/scenarios.ts';

/** Issue 13, item 4: the Atom feeds of published opportunities, one per language. */

const ATOM = 'http://www.w3.org/2005/Atom';
const SITE = 'http://localhost:3000';
const DAY = 24 * 60 * 60 * 1000;

let database: TestDatabase;
let t: TestApp;
let older: Scenario;
let newer: Scenario;
let draft: Scenario;
let ready: Scenario;
let later: Scenario;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['entry', 'link', 'category'].includes(name),
});

interface Link {
  '@rel': string;
  '@type': string;
  '@hreflang': string;
  '@href': string;
}
interface Entry {
  id: string;
  title: { '#text': string };
  updated: string;
  published: string;
  author: { name: string };
  summary: { '#text': string };
  link: Link[];
}
interface Feed {
  '@xmlns': string;
  '@xml:lang': string;
  id: string;
  updated: string;
  link: Link[];
  entry?: Entry[];
}

async function feed(lang: 'en' | 'fr') {
  const res = await request(t.app).get(url('opportunitiesFeed', {}, lang));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
  expect(res.headers['set-cookie']).toBeUndefined();
  const xml = res.text;
  return { res, xml, feed: (parser.parse(xml) as { feed: Feed }).feed };
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const now = t.clock.now().getTime();
  older = await aPublishedOpportunity(t, { opensAt: new Date(now - 3 * DAY) });
  newer = await aPublishedOpportunity(t, {
    opensAt: new Date(now - DAY),
    titleEn: `Fix <b>bold</b> & "quotes" in 'forms' \u0007 ]]>`,
    titleFr: 'Corriger « les guillemets » & <i>l’italique</i>',
  });
  draft = await aDraftRequest(t);
  ready = await aReadyRequest(t);
  later = await aPublishedOpportunity(t, { opensAt: new Date(now + DAY) });
});

afterAll(async () => {
  await database.drop();
});

describe('the Atom feeds', () => {
  it('parse with a real XML parser and carry the Atom namespace, ids, updated and links', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const { feed: f } = await feed(lang);
      expect(f['@xmlns']).toBe(ATOM);
      expect(f['@xml:lang']).toBe(lang);
      expect(f.id).toBe(`tag:localhost,2026-12-01:opportunities/${lang}`);
      expect(new Date(f.updated).toISOString()).toBe(f.updated);
      const self = f.link.find((l) => l['@rel'] === 'self')!;
      expect(self['@href']).toBe(SITE + url('opportunitiesFeed', {}, lang));
      const other = lang === 'en' ? 'fr' : 'en';
      expect(f.link.find((l) => l['@hreflang'] === other)!['@href']).toBe(
        SITE + url('opportunitiesFeed', {}, other),
      );
      const entries = f.entry ?? [];
      expect(entries.map((e) => e.id)).toEqual([
        `tag:localhost,2026-12-01:opportunity/${newer.reference}/${lang}`,
        `tag:localhost,2026-12-01:opportunity/${older.reference}/${lang}`,
      ]);
      for (const e of entries) {
        const ref = e.id.split('/')[1]!;
        expect(new Date(e.updated).toISOString()).toBe(e.updated);
        expect(e.author.name.endsWith(')')).toBe(true);
        const alternates = Object.fromEntries(
          e.link.filter((l) => l['@rel'] === 'alternate').map((l) => [l['@hreflang'], l['@href']]),
        );
        expect(alternates).toEqual({
          en: SITE + url('opportunity', { ref }, 'en'),
          fr: SITE + url('opportunity', { ref }, 'fr'),
        });
        expect(e.link[0]!['@hreflang']).toBe(lang);
      }
      // The feed's updated is its newest entry's.
      expect(f.updated).toBe([...entries.map((e) => e.updated)].sort().at(-1));
    }
  });

  it('escape what people typed: the title comes back as typed, without the control character', async () => {
    const en = (await feed('en')).feed.entry![0]!;
    expect(en.title['#text']).toBe(`Fix <b>bold</b> & "quotes" in 'forms'  ]]>`);
    const { xml } = await feed('en');
    expect(xml).not.toContain('<b>');
    const fr = (await feed('fr')).feed.entry![0]!;
    expect(fr.title['#text']).toBe('Corriger « les guillemets » & <i>l’italique</i>');
    expect(fr.summary['#text']).toContain('Date de clôture\u00a0:');
  });

  it('list nothing that is not public: no draft, no request in review, nothing before its opening', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const { xml } = await feed(lang);
      for (const hidden of [draft, ready, later]) expect(xml).not.toContain(hidden.reference);
    }
  });

  it('keep their ids and updated when nothing changed, and answer 304 to the ETag', async () => {
    const first = await feed('en');
    const again = await feed('en');
    expect(again.xml).toBe(first.xml);
    const etag = first.res.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const notModified = await request(t.app)
      .get(url('opportunitiesFeed', {}, 'en'))
      .set('If-None-Match', etag);
    expect(notModified.status).toBe(304);
  });

  it('are linked from the opportunities list and home pages with <link rel="alternate">', async () => {
    for (const lang of ['en', 'fr'] as const) {
      for (const page of ['home', 'opportunities'] as const) {
        const html = (await request(t.app).get(url(page, {}, lang))).text;
        expect(html).toContain(
          `<link rel="alternate" type="application/atom+xml" href="${url('opportunitiesFeed', {}, lang)}"`,
        );
      }
    }
  });
});
