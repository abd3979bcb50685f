import { formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';

/** What an addendum changed, as a reader of the public page says it. */
export function describeChanges(
  a: { changes: readonly string[]; previousClosesAt: Date | null; newClosesAt: Date | null },
  lang: Lang,
  t: Translate,
) {
  return {
    changed: a.changes.map((field) => t(`addenda.fields.${field}`)).join(', '),
    previousCloses: a.previousClosesAt ? formatDeadline(a.previousClosesAt, lang) : '',
    newCloses: a.newClosesAt ? formatDeadline(a.newClosesAt, lang) : '',
  };
}
