import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { languages } from '../platform/i18n.ts';
import { fieldName, MAX_LENGTH, type FieldPair } from './fields.ts';

export const translationIntents = ['save', 'request', 'complete'] as const;
export type TranslationIntent = (typeof translationIntents)[number];

/** Browsers send CRLF from textareas; the limits count what is stored. */
const text = (max: number) =>
  z
    .string()
    .default('')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, { message: 'forms.errors.tooLong' }));

/**
 * The editor's form for this request's pairs: every text may be empty while translation is under
 * way (the flags say so), none may be longer than its limit.
 */
export function translationForm(pairs: readonly FieldPair[]) {
  const texts: Record<string, ReturnType<typeof text>> = {};
  for (const pair of pairs) {
    for (const lang of languages) texts[fieldName(pair, lang)] = text(MAX_LENGTH[pair.kind]);
  }
  return z
    .object(texts)
    .extend({
      intent: z.enum(translationIntents, { message: 'translation.errors.intent' }),
      version: versionField,
    })
    .transform((form): TranslationForm => {
      // The texts' index signature hides the two named fields' types; they are parsed above.
      const typed = form as Record<string, unknown> & {
        intent: TranslationIntent;
        version: number;
      };
      return {
        intent: typed.intent,
        version: typed.version,
        pairs: pairs.map((pair) => ({
          ...pair,
          en: String(typed[fieldName(pair, 'en')] ?? ''),
          fr: String(typed[fieldName(pair, 'fr')] ?? ''),
        })),
      };
    });
}

/** What the editor sent: the button pressed, the version seen and every pair's texts. */
export interface TranslationForm {
  intent: TranslationIntent;
  version: number;
  pairs: FieldPair[];
}
