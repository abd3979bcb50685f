import { z } from 'zod';
import { versionField } from '../platform/forms.ts';
import { LIMITS } from '../requests/form-schemas.ts';
import { easternInstant, isCalendarDate } from '../platform/dates.ts';
import { sameLineBreaks } from '../questions/schemas.ts';

/** The opportunity's texts an addendum may change, as columns. */
export const changeableTexts = [
  'title_en',
  'title_fr',
  'summary_en',
  'summary_fr',
  'description_en',
  'description_fr',
] as const;
export type ChangeableText = (typeof changeableTexts)[number];

export const ADDENDUM_SUMMARY_MAX = 2000;
/** Longest texts an addendum may set. */
/** The same limits as the request form: an addendum cannot store more than a request. */
const TEXT_LIMITS = {
  title: LIMITS.title,
  summary: LIMITS.summary,
  description: LIMITS.description,
} as const;

const text = (requiredKey: string, max: number) =>
  z
    .string(requiredKey)
    .trim()
    .min(1, requiredKey)
    .max(max, 'forms.errors.tooLong')
    .transform(sameLineBreaks);
const optional = (max: number, key: string) => z.string(key).trim().max(max, key).default('');

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const addendumFields = z.object({
  version: versionField,
  addendum_en: text('addenda.errors.addendumEn', ADDENDUM_SUMMARY_MAX),
  addendum_fr: text('addenda.errors.addendumFr', ADDENDUM_SUMMARY_MAX),
  title_en: text('addenda.errors.titleEn', TEXT_LIMITS.title),
  title_fr: text('addenda.errors.titleFr', TEXT_LIMITS.title),
  summary_en: text('addenda.errors.summaryEn', TEXT_LIMITS.summary),
  summary_fr: text('addenda.errors.summaryFr', TEXT_LIMITS.summary),
  description_en: text('addenda.errors.descriptionEn', TEXT_LIMITS.description),
  description_fr: text('addenda.errors.descriptionFr', TEXT_LIMITS.description),
  closes_on: optional(10, 'addenda.errors.closesOn'),
  closes_time: optional(5, 'addenda.errors.closesTime'),
});

function toAddendum(f: z.infer<typeof addendumFields>, ctx: z.RefinementCtx) {
  const issue = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  let newClosesAt: Date | null = null;
  // A new closing is optional, but a date without a time (or the reverse) is a mistake.
  if (f.closes_on || f.closes_time) {
    const time = TIME.exec(f.closes_time);
    const dateValid = isCalendarDate(f.closes_on);
    if (!f.closes_on) issue('closes_on', 'addenda.errors.closesOnRequired');
    else if (!dateValid) issue('closes_on', 'addenda.errors.closesOn');
    if (!f.closes_time) issue('closes_time', 'addenda.errors.closesTimeRequired');
    else if (!time) issue('closes_time', 'addenda.errors.closesTime');
    if (dateValid && time) {
      newClosesAt = easternInstant(f.closes_on, Number(time[1]), Number(time[2]));
    }
  }
  return {
    version: f.version,
    summary: { en: f.addendum_en, fr: f.addendum_fr },
    texts: Object.fromEntries(changeableTexts.map((c) => [c, f[c]])) as Record<
      ChangeableText,
      string
    >,
    newClosesAt,
  };
}

export const addendumForm = addendumFields.transform(toAddendum);

/** A criterion the addendum form shows, by its stable id. */
export interface CriterionRef {
  kind: 'mandatory' | 'acceptance';
  id: number;
}

/** A criterion's texts as the form sends them; a change becomes the criterion's next version. */
export interface CriterionText extends CriterionRef {
  en: string;
  fr: string;
}

export const criterionField = (c: CriterionRef, lang: 'en' | 'fr') =>
  `${c.kind}-criterion-${c.id}_${lang}`;

/**
 * The addendum form with the opportunity's criteria: each one's texts, in both languages, under
 * its stable id. A criterion's field left out of the form keeps it as it is.
 */
export function addendumFormFor(criteria: readonly CriterionRef[]) {
  const fields = Object.fromEntries(
    criteria.flatMap((c) =>
      (['en', 'fr'] as const).map((lang) => [
        criterionField(c, lang),
        text(`addenda.errors.criterion${lang === 'en' ? 'En' : 'Fr'}`, LIMITS.criterion).optional(),
      ]),
    ),
  );
  return addendumFields.extend(fields).transform((f, ctx) => {
    const typed = f as Record<string, string | undefined>;
    return {
      // The criteria's fields are named at run time: the fixed ones keep their types.
      ...toAddendum(f as unknown as z.infer<typeof addendumFields>, ctx),
      criteria: criteria.flatMap((c): CriterionText[] => {
        const en = typed[criterionField(c, 'en')];
        const fr = typed[criterionField(c, 'fr')];
        return en === undefined || fr === undefined ? [] : [{ ...c, en, fr }];
      }),
    };
  });
}

export type AddendumForm = z.infer<typeof addendumForm> & { criteria?: CriterionText[] };
