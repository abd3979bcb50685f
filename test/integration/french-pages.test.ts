import { parse, type HTMLElement } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/db/seed/demo.ts';
import { loadMessages } from '../../src/platform/i18n.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let t: TestApp;
let references: string[];

function strings(tree: unknown): string[] {
  return Object.values(tree as Record<string, unknown>).flatMap((v) =>
    v !== null && typeof v === 'object' ? strings(v) : [String(v)],
  );
}

/** English interface strings that differ from every French one, e.g. "Closing date". */
const englishOnly = (() => {
  const fr = new Set(strings(loadMessages('fr')));
  return strings(loadMessages('en'))
    .map((s) => s.replace(/\{\{[^}]+\}\}/g, '').trim())
    .flatMap((s) => s.split(/[:.]\s/))
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 2 && !fr.has(s) && !/^https?:/.test(s));
})();
const englishWords =
  /\b(the|and|of|your|opportunity|opportunities|closing|closes|department|before tax|updated|skip|home|supplier|sign in|submit)\b/i;

/** The text a French reader sees: everything but elements marked lang="en" (the toggle, quotes). */
function frenchText(root: HTMLElement): string {
  for (const element of root.querySelectorAll('[lang="en"], script, style')) element.remove();
  return root.querySelector('body')?.text.replace(/\s+/g, ' ') ?? '';
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: new Date().toISOString() });
  await seedDemoOnce(database.db, t.clock);
  references = await database.db('opportunities').pluck('reference');
});

afterAll(async () => {
  await database.drop();
});

describe('every public page in French', () => {
  it('renders with no missing key and no English interface text', async () => {
    const paths = [
      '/fr',
      '/fr/occasions',
      '/fr/guide-du-fournisseur',
      '/fr/a-propos',
      '/fr/confidentialite',
      '/fr/page-inexistante',
      '/fr/connexion',
      '/fr/creer-un-compte',
      '/fr/mot-de-passe-oublie',
      '/fr/verifiez-vos-courriels',
      ...references.map((ref) => `/fr/occasions/${ref}`),
    ];
    let publicDetails = 0;
    for (const path of paths) {
      const res = await request(t.app).get(path);
      if (res.status === 404 && path.startsWith('/fr/occasions/')) continue; // a draft
      if (path.startsWith('/fr/occasions/')) publicDetails += 1;
      const root = parse(res.text);
      expect(root.querySelector('html')?.getAttribute('lang'), path).toBe('fr');
      const text = frenchText(root);
      expect(text.match(englishWords)?.[0], `${path}: ${text.slice(0, 200)}`).toBeUndefined();
      for (const english of englishOnly)
        expect(text, `${path} shows “${english}”`).not.toContain(english);
    }
    expect(publicDetails).toBeGreaterThanOrEqual(8);
    expect(t.missingKeys).toEqual([]);
  });

  it('also renders every English page with no missing key', async () => {
    for (const path of [
      '/en',
      '/en/opportunities',
      '/en/supplier-guide',
      '/en/about',
      '/en/privacy',
    ]) {
      await request(t.app).get(path).expect(200);
    }
    for (const ref of references) await request(t.app).get(`/en/opportunities/${ref}`);
    expect(t.missingKeys).toEqual([]);
  });
});
