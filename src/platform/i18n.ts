import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction, type i18n } from 'i18next';
import { fromRoot } from './paths.ts';

export const languages = ['en', 'fr'] as const;
export type Lang = (typeof languages)[number];

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'fr';
}

export const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'fr' : 'en');

export type Translate = TFunction;

type Messages = Record<string, unknown>;

/** locales/<lang>/<file>.json → one resource tree per language, each file under its own name. */
export function loadMessages(lang: Lang, dir = fromRoot('locales')): Messages {
  const folder = path.join(dir, lang);
  const messages: Messages = {};
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    messages[path.basename(file, '.json')] = JSON.parse(
      readFileSync(path.join(folder, file), 'utf8'),
    );
  }
  return messages;
}

export interface Translator {
  t(lang: Lang): Translate;
}

/**
 * One i18next instance for the process, no fallback language: a key missing in French shows
 * as the key (and is reported), never as English.
 */
export async function createTranslator(
  onMissingKey: (lang: string, key: string) => void = () => {},
): Promise<Translator> {
  const instance: i18n = i18next.createInstance();
  await instance.init({
    resources: {
      en: { translation: loadMessages('en') },
      fr: { translation: loadMessages('fr') },
    },
    lng: 'en',
    supportedLngs: [...languages],
    fallbackLng: false,
    // Nunjucks escapes on output; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => onMissingKey(lngs.join(','), key),
    initAsync: false,
  });
  const fixed: Record<Lang, Translate> = {
    en: instance.getFixedT('en'),
    fr: instance.getFixedT('fr'),
  };
  return { t: (lang) => fixed[lang] };
}
