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
    for (const [key, text] of messages.fr) {
      expect(text, key).not.toMatch(/[^\u00a0]:(\s|$)/u);
      expect(text, key).not.toMatch(/\s[?!;]/u);
      expect(text, key).not.toMatch(/\d \d{3}|\d [$%]/u);
      expect(text, key).not.toContain("'");
    }
  });
});
