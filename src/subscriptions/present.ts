import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import { currentWording, publishedSkills } from './repo.ts';
import { INTERESTS } from './schemas.ts';

export interface SubscribeFormView {
  wording: { version: number; text: string };
  interestOptions: string[];
}

/**
 * What the subscribe form shows, on its own page and as the small form of the home and
 * opportunity pages: the consent wording in force (its version goes back with the form) and the
 * skills the opportunities ask for, as interests to choose from.
 */
export async function subscribeFormView(db: Db, lang: Lang, now: Date): Promise<SubscribeFormView> {
  const [wording, interestOptions] = await Promise.all([
    currentWording(db, lang),
    publishedSkills(db, lang, now, INTERESTS.count),
  ]);
  return { wording, interestOptions };
}

export interface MailingListFields {
  wording: SubscribeFormView['wording'];
  choices: { value: string; checked: boolean }[];
  values: Record<string, string>;
  errors?: { field: string; message: string }[];
}

/**
 * The form's fields as views/subscriptions/fields.njk prints them: the skills offered, with
 * those ticked (and any ticked before that no opportunity asks for now, so none is lost).
 */
export function mailingListFields(
  view: SubscribeFormView,
  values: Record<string, string>,
  ticked: readonly string[],
  errors?: MailingListFields['errors'],
): MailingListFields {
  const tickedLower = new Set(ticked.map((skill) => skill.toLowerCase()));
  const offered = new Set(view.interestOptions.map((skill) => skill.toLowerCase()));
  const choices = [
    ...view.interestOptions.map((value) => ({
      value,
      checked: tickedLower.has(value.toLowerCase()),
    })),
    ...ticked
      .filter((value) => !offered.has(value.toLowerCase()))
      .map((value) => ({ value, checked: true })),
  ];
  return { wording: view.wording, choices, values, ...(errors && { errors }) };
}

/** The interests ticked, kept as typed when the form comes back. */
export function interestsOf(body: unknown): string[] {
  const value = (body as { interests?: unknown } | undefined)?.interests;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string').slice(0, INTERESTS.count);
}

/** The small subscribe form of the home and opportunity pages, as a visitor first sees it. */
export async function subscribeTeaser(db: Db, lang: Lang, now: Date): Promise<MailingListFields> {
  return mailingListFields(await subscribeFormView(db, lang, now), { language: lang }, []);
}
