import type { Lang } from '../platform/i18n.ts';

/**
 * A client-written text in the page's language once translated, else as the client wrote it —
 * with its language, for the `lang` attribute a screen reader needs (WCAG 3.1.2).
 */
export function textIn(
  row: { source_language: Lang },
  column: string,
  lang: Lang,
): { text: string; lang: Lang } {
  const read = (l: Lang) => String((row as Record<string, unknown>)[`${column}_${l}`] ?? '').trim();
  const own = read(lang);
  return own ? { text: own, lang } : { text: read(row.source_language), lang: row.source_language };
}

/** The same for a pair of texts already read, e.g. `{ en, fr }` titles. */
export function pairIn(pair: Record<Lang, string>, lang: Lang): { text: string; lang: Lang } {
  const other: Lang = lang === 'en' ? 'fr' : 'en';
  return pair[lang].trim() ? { text: pair[lang], lang } : { text: pair[other], lang: other };
}
