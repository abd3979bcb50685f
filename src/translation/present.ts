import type { OpportunityRow } from '../opportunities/row.ts';
import {
  opportunityStatuses,
  publicStatuses,
  type OpportunityStatus,
} from '../opportunities/states.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { FieldError } from '../platform/forms.ts';
import { languages, type Lang, type Translate } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import { textIn } from '../requests/texts.ts';
import { fieldName, flagOf, isBlocking, type FieldPair, type Flag } from './fields.ts';
import { isTranslatable } from './service.ts';

const HOUR_MS = 3_600_000;

const rows: Record<FieldPair['kind'], number> = {
  title: 2,
  summary: 4,
  description: 14,
  skills: 6,
  mandatory: 3,
  acceptance: 3,
};

/** The legend of a pair: "Title", "Mandatory criterion 2"… */
function legendOf(pair: FieldPair, t: Translate): string {
  return t(`translation.fields.${pair.kind}`, { number: pair.position });
}

/** The field a flag is about, for links: the side that lacks text. */
function flaggedField(pair: FieldPair, flag: Flag): string {
  return fieldName(pair, flag === 'missing_en' || flag === 'missing_both' ? 'en' : 'fr');
}

/** The error summary's lines when the translation cannot be marked complete yet. */
export function incompleteErrors(pairs: readonly FieldPair[], t: Translate): FieldError[] {
  return pairs.flatMap((pair) => {
    const flag = flagOf(pair);
    return flag && isBlocking(flag)
      ? [
          {
            field: flaggedField(pair, flag),
            message: t(`translation.errors.${flag}`, { field: legendOf(pair, t) }),
          },
        ]
      : [];
  });
}

/** How long translation has waited (or took), in whole days, or hours under a day. */
function waiting(
  requestedAt: Date | null,
  receivedAt: Date | null,
  now: Date,
  t: Translate,
): string {
  if (!requestedAt) return '';
  const hours = Math.max(
    0,
    Math.floor(((receivedAt ?? now).getTime() - requestedAt.getTime()) / HOUR_MS),
  );
  const prefix = receivedAt ? 'translation.took' : 'translation.waiting';
  return hours >= 24
    ? t(`${prefix}Days`, { count: Math.floor(hours / 24) })
    : t(`${prefix}Hours`, { count: hours });
}

const asDate = (value: unknown): Date | null => (value ? new Date(value as string) : null);

/** Everything the editor page shows, from the request and the texts on screen. */
export function presentEditor(
  opportunity: OpportunityRow,
  pairs: readonly FieldPair[],
  lang: Lang,
  t: Translate,
  now: Date,
  previewToken: string | null,
) {
  const status = opportunity.status as OpportunityStatus;
  const requestedAt = asDate(opportunity.translation_requested_at);
  const receivedAt = asDate(opportunity.translation_received_at);
  const presented = pairs.map((pair) => {
    const flag = flagOf(pair);
    return {
      key: pair.key,
      legend: legendOf(pair, t),
      flag,
      blocking: isBlocking(flag),
      flagText: flag ? t(`translation.flags.${flag}`) : '',
      flaggedField: flag ? flaggedField(pair, flag) : '',
      fields: languages.map((fieldLang) => ({
        lang: fieldLang,
        name: fieldName(pair, fieldLang),
        label: t(`translation.languages.${fieldLang}`),
        rows: rows[pair.kind],
      })),
    };
  });
  const title = textIn(opportunity, 'title', lang);
  return {
    reference: opportunity.reference,
    title: title.text,
    titleLang: title.lang,
    statusLabel: t(`status.${status}`),
    editable: isTranslatable(status),
    published: Boolean(opportunity.opens_at) && publicStatuses.includes(status),
    beforeTranslation:
      opportunityStatuses.indexOf(status) < opportunityStatuses.indexOf('funds_approved'),
    canRequest: status === 'funds_approved' && !requestedAt,
    canComplete: status === 'funds_approved',
    requested: requestedAt ? formatDeadline(requestedAt, lang) : '',
    received: receivedAt ? formatDeadline(receivedAt, lang) : '',
    waiting: waiting(requestedAt, receivedAt, now, t),
    previewHref:
      previewToken && (status === 'translated' || status === 'ready')
        ? url('preview', { token: previewToken }, lang)
        : '',
    pairs: presented,
    missing: presented.filter((p) => p.blocking),
    identical: presented.filter((p) => p.flag === 'identical'),
  };
}
