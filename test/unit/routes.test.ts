import { describe, expect, it } from 'vitest';
import { langOfPath, pages, url } from '../../src/platform/routes.ts';

describe('bilingual route table', () => {
  it('builds each page’s path in both languages', () => {
    expect(url('opportunities', {}, 'en')).toBe('/en/opportunities');
    expect(url('opportunities', {}, 'fr')).toBe('/fr/occasions');
    expect(url('opportunity', { ref: 'MA-2026-0007' }, 'fr')).toBe('/fr/occasions/MA-2026-0007');
  });

  it('encodes parameters and refuses a missing one', () => {
    expect(url('opportunity', { ref: 'a/b c' }, 'en')).toBe('/en/opportunities/a%2Fb%20c');
    expect(() => url('opportunity', {}, 'en')).toThrow(/missing parameter ref/);
  });

  it('gives every page a distinct path under its own language prefix', () => {
    const all = Object.values(pages).flatMap((p) => [p.en, p.fr]);
    expect(new Set(all).size).toBe(all.length);
    for (const p of Object.values(pages)) {
      expect(langOfPath(p.en)).toBe('en');
      expect(langOfPath(p.fr)).toBe('fr');
    }
  });
});
