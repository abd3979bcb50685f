import { LIMITS } from '../requests/form-schemas.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import type { CriterionRow } from '../requests/repo.ts';

/** The client-written texts of a request, each of which exists in English and French. */
export type FieldKind = 'title' | 'summary' | 'description' | 'skills' | 'mandatory' | 'acceptance';

/** One text and its translation, as the side-by-side editor shows it. */
export interface FieldPair {
  /** The pair's name in the form and the page: `title`, `skills`, `mandatory-2`… */
  key: string;
  kind: FieldKind;
  /** A criterion's position (its row in mandatory_criteria or acceptance_criteria). */
  position?: number;
  en: string;
  fr: string;
}

/** Longest text accepted per field, in characters (what the public page can reasonably show). */
export const MAX_LENGTH: Record<FieldKind, number> = {
  title: LIMITS.title,
  summary: LIMITS.summary,
  description: LIMITS.description,
  // One skill per line.
  skills: LIMITS.skills * (LIMITS.skill + 1),
  // A translated criterion may run longer than the client's 500 characters.
  mandatory: 2 * LIMITS.criterion,
  acceptance: 2 * LIMITS.criterion,
};

/** What the editor says about a pair; the first three keep the request from being published. */
export type Flag = 'missing_both' | 'missing_en' | 'missing_fr' | 'lines_differ' | 'identical';

const blocking: readonly Flag[] = ['missing_both', 'missing_en', 'missing_fr', 'lines_differ'];
export const isBlocking = (flag: Flag | undefined): boolean =>
  flag !== undefined && blocking.includes(flag);

/** Skills are typed one per line and stored as a list. */
export const skillLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** A text as it is stored: skills as their non-empty lines, others trimmed. */
const stored = (pair: FieldPair, lang: Lang): string =>
  pair.kind === 'skills' ? skillLines(pair[lang]).join('\n') : pair[lang].trim();

export function flagOf(pair: FieldPair): Flag | undefined {
  const en = stored(pair, 'en');
  const fr = stored(pair, 'fr');
  if (!en && !fr) return 'missing_both';
  if (!en) return 'missing_en';
  if (!fr) return 'missing_fr';
  // The bilingual guard pairs skills line by line: both lists must be as long.
  if (pair.kind === 'skills' && en.split('\n').length !== fr.split('\n').length) {
    return 'lines_differ';
  }
  return en === fr ? 'identical' : undefined;
}

export type FieldName = `${string}_${Lang}`;
export const fieldName = (pair: Pick<FieldPair, 'key'>, lang: Lang): FieldName =>
  `${pair.key}_${lang}`;

/** The texts of a request as the editor's pairs, in the order of the public page's sections. */
export function pairsOf(
  opportunity: Record<string, unknown>,
  criteria: { mandatory: CriterionRow[]; acceptance: CriterionRow[] },
): FieldPair[] {
  const text = (column: string, lang: Lang) => String(opportunity[`${column}_${lang}`] ?? '');
  const skills = (lang: Lang) =>
    ((opportunity[`skills_${lang}`] as string[] | null) ?? []).join('\n');
  const criterionPairs = (kind: 'mandatory' | 'acceptance', rows: CriterionRow[]) =>
    rows.map((row) => ({
      key: `${kind}-${row.position}`,
      kind,
      position: row.position,
      en: row.text_en,
      fr: row.text_fr,
    }));
  return [
    ...(['title', 'summary', 'description'] as const).map((kind) => ({
      key: kind,
      kind,
      en: text(kind, 'en'),
      fr: text(kind, 'fr'),
    })),
    { key: 'skills', kind: 'skills', en: skills('en'), fr: skills('fr') },
    ...criterionPairs('mandatory', criteria.mandatory),
    ...criterionPairs('acceptance', criteria.acceptance),
  ];
}

/** The same pairs with the texts a person typed (missing fields read as empty). */
export function pairsFromValues(
  pairs: readonly FieldPair[],
  values: Record<string, string>,
): FieldPair[] {
  return pairs.map((pair) => ({
    ...pair,
    en: values[fieldName(pair, 'en')] ?? '',
    fr: values[fieldName(pair, 'fr')] ?? '',
  }));
}

/** The pairs as form values, `title_en`, `title_fr`… */
export function valuesOf(pairs: readonly FieldPair[]): Record<string, string> {
  return Object.fromEntries(
    pairs.flatMap((pair) => languages.map((lang) => [fieldName(pair, lang), pair[lang]])),
  );
}

/** The pairs whose text differs from what is saved. */
export function changedPairs(
  saved: readonly FieldPair[],
  typed: readonly FieldPair[],
): FieldPair[] {
  return typed.filter((pair) => {
    const before = saved.find((p) => p.key === pair.key);
    return !before || languages.some((lang) => stored(before, lang) !== stored(pair, lang));
  });
}
