import { z } from 'zod';

export const TERMS_MAX = 20_000;

const body = (requiredKey: string) =>
  z.string(requiredKey).trim().min(1, requiredKey).max(TERMS_MAX, 'terms.errors.tooLong');

/** A new version is written in both languages at once: the terms are bilingual or not at all. */
export const termsForm = z.object({
  body_en: body('terms.errors.bodyEn'),
  body_fr: body('terms.errors.bodyFr'),
});
