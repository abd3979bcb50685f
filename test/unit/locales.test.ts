import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { opportunityStatuses } from '../../src/opportunities/states.ts';
import { loadMessages, type Lang } from '../../src/platform/i18n.ts';
import { fromRoot } from '../../src/platform/paths.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function leaves(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of leaves(value, full)) out.set(k, v);
    } else {
      out.set(full, String(value));
    }
  }
  return out;
}

const messages: Record<Lang, Map<string, string>> = {
  en: leaves(loadMessages('en')),
  fr: leaves(loadMessages('fr')),
};

const baseKeys = (lang: Lang) =>
  new Set([...messages[lang].keys()].map((k) => k.replace(PLURAL, '')));

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, extensions);
    return extensions.some((ext) => name.endsWith(ext)) ? [full] : [];
  });
}

describe('locales', () => {
  it('have the same keys in English and French', () => {
    const en = baseKeys('en');
    const fr = baseKeys('fr');
    expect(
      [...en].filter((k) => !fr.has(k)),
      'only in English',
    ).toEqual([]);
    expect(
      [...fr].filter((k) => !en.has(k)),
      'only in French',
    ).toEqual([]);
  });

  it('have every plural form each language needs (French needs one, many and other)', () => {
    const needs: Record<Lang, string[]> = { en: ['one', 'other'], fr: ['one', 'many', 'other'] };
    for (const lang of ['en', 'fr'] as const) {
      const plurals = [...messages[lang].keys()].filter((k) => PLURAL.test(k));
      for (const base of new Set(plurals.map((k) => k.replace(PLURAL, '')))) {
        for (const form of needs[lang]) {
          expect(messages[lang].has(`${base}_${form}`), `${lang}: ${base}_${form}`).toBe(true);
        }
      }
    }
  });

  it('define every key the code and the views use with a literal', () => {
    const sources = [
      ...filesUnder(fromRoot('src'), ['.ts']),
      ...filesUnder(fromRoot('views'), ['.njk']),
    ];
    const used = new Set<string>();
    for (const file of sources) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.-]+)'/g)) {
        // `translator.t('fr')` picks a language; `t('errors.' + status)` is checked by parity.
        const key = match[1];
        if (key && key !== 'en' && key !== 'fr' && !key.endsWith('.')) used.add(key);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    for (const lang of ['en', 'fr'] as const) {
      const keys = baseKeys(lang);
      expect(
        [...used].filter((k) => !keys.has(k)),
        lang,
      ).toEqual([]);
    }
  });

  it('label every opportunity status in both languages', () => {
    for (const status of opportunityStatuses) {
      expect(messages.en.get(`status.${status}`), status).toBeTruthy();
      expect(messages.fr.get(`status.${status}`), status).toBeTruthy();
    }
  });

  it('follow Canadian French typography: no-break space before a colon, none before ? ! ;', () => {
    for (const [key, text] of frenchTexts()) {
      expect(text, key).not.toMatch(/[^\u00a0]:(\s|$)/u);
      expect(text, key).not.toMatch(/\s[?!;]/u);
      expect(text, key).not.toMatch(/\d \d{3}|\d [$%]/u);
      expect(text, key).not.toContain("'");
    }
  });

  it('put a no-break space inside « » and in a time such as 14 h (French review 2026-12, item 30)', () => {
    for (const [key, text] of frenchTexts()) {
      expect(text, key).not.toMatch(/«[^\u00a0]|[^\u00a0]»/u);
      expect(text, key).not.toMatch(/\d[ \t\n]h\b/u);
    }
  });

  it('use the glossary’s French terms, never the ones it set aside', () => {
    // Glossary §1-§13 and the French review of 2026-12 (items 6-9, 14, 28).
    const setAside: [RegExp, string][] = [
      [/opportunit[ée]/iu, 'occasion'],
      [/e-mail/iu, 'courriel'],
      [/liste d’envoi/iu, 'liste de diffusion'],
      [/date de fermeture/iu, 'date de clôture'],
      [/détenteur de carte/iu, 'titulaire de carte'],
      [/autorisation de sécurité/iu, 'attestation de sécurité'],
      [/ouvrir une session|fermer la session/iu, 'se connecter, se déconnecter'],
      [/acceptation de travail/iu, 'critères d’acceptation des travaux'],
      [/complétée/iu, 'terminée'],
      [/prix ferme/iu, 'prix fixe'],
      [/^a pris \{\{count\}\}/iu, 'traduite en (calque of “took”)'],
    ];
    for (const [key, text] of frenchTexts()) {
      for (const [term, instead] of setAside) expect(text, `${key}: ${instead}`).not.toMatch(term);
    }
  });

  it('keep « attestation » for section 34: section 32 is an approval, a confirmation that funds are available', () => {
    for (const [key, text] of frenchTexts()) {
      if (/article\s32/u.test(text)) expect(text, key).not.toMatch(/attest/iu);
    }
    expect(messages.fr.get('review.section32.attestationTitle')).not.toMatch(/attest/iu);
    expect(messages.fr.get('review.errors.attest')).not.toMatch(/attest/iu);
  });
});

describe('the French content pages', () => {
  it('have the English page’s headings, list items, table rows, terms and links, in the same order', () => {
    // Paragraphs may differ: French introduces a list with a sentence where English need not.
    const outline = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/<(h[1-6]|li|tr|dt|dd|a)[\s>]/g)].map((m) => m[1]);
    const pages = filesUnder(fromRoot('views/pages/content'), ['.en.njk']);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const en of pages) {
      const fr = en.replace(/\.en\.njk$/, '.fr.njk');
      expect(outline(fr), path.basename(fr)).toEqual(outline(en));
    }
  });
});

/**
 * Every French text a reader sees: the locale strings and the French content pages, each
 * paragraph of a page without its tags (a page's attributes hold addresses, not French).
 */
function frenchTexts(): [string, string][] {
  const pages = filesUnder(fromRoot('views/pages/content'), ['.fr.njk']).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, index): [string, string] => [
        `${path.basename(file)}:${index + 1}`,
        line.replace(/<[^<>]*>/g, '').trim(),
      ]),
  );
  return [...messages.fr, ...pages];
}
