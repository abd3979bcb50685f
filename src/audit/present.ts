import { actionLabelKey, labelledActions, stateLabelKey } from '../review/history.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import type { AuditRow } from './repo.ts';

/** The administration's own steps, labelled by audit.json; the file's steps by the history's labels. */
const adminActions = new Set([
  'create_department',
  'update_settings',
  'invite_staff',
  'grant_role',
  'revoke_role',
  'propose_grant',
  'resend_invitation',
  'revoke_invitation',
]);

function actionLabel(row: Pick<AuditRow, 'entity_type' | 'action'>, t: Translate): string {
  if (adminActions.has(row.action)) return t(`audit.actions.${row.action}`);
  const key = actionLabelKey(row.entity_type, row.action);
  // A step no label names (a proposal's confirm, the terms…): its code, as recorded.
  return key === 'review.history.otherStep' ? row.action : t(key);
}

function stateLabel(entity: string, state: string | null, t: Translate): string {
  if (!state) return '';
  return labelledActions[entity] ? t(stateLabelKey(entity, state)) : state;
}

/**
 * Who acted, as the viewer may read it: department staff never read a supplier's identity
 * (the evaluation is anonymised, as on the file's history, src/review/history.ts); a platform
 * administrator does.
 */
export function actorLabel(
  row: Pick<AuditRow, 'actor_kind' | 'actor_name' | 'actor_email'>,
  showsSuppliers: boolean,
  t: Translate,
): string {
  if (row.actor_kind === 'supplier' && !showsSuppliers) return t('review.history.supplier');
  if (!row.actor_kind) return t('review.history.system');
  return row.actor_name ? `${row.actor_name} (${row.actor_email})` : (row.actor_email ?? '');
}

export function presentAuditRows(
  rows: readonly AuditRow[],
  showsSuppliers: boolean,
  lang: Lang,
  t: Translate,
) {
  return rows.map((e) => ({
    at: formatDeadline(e.at, lang),
    atIso: e.at.toISOString(),
    who: actorLabel(e, showsSuppliers, t),
    what: actionLabel(e, t),
    action: e.action,
    reference: e.reference ?? '',
    from: stateLabel(e.entity_type, e.from_state, t),
    to: stateLabel(e.entity_type, e.to_state, t),
    reason: e.reason ?? '',
    reasonLang: e.reason && e.reason_lang && e.reason_lang !== lang ? e.reason_lang : null,
  }));
}

/** The CSV's header, in the page's language; its rows keep the codes next to the labels. */
export const auditCsvHeader = (t: Translate) =>
  ['at', 'who', 'action', 'actionLabel', 'reference', 'from', 'to', 'reason'].map((c) =>
    t(`audit.csv.${c}`),
  );

export function auditCsvRows(
  rows: readonly AuditRow[],
  showsSuppliers: boolean,
  lang: Lang,
  t: Translate,
) {
  return presentAuditRows(rows, showsSuppliers, lang, t).map((r) => [
    r.atIso,
    r.who,
    r.action,
    r.what,
    r.reference,
    r.from,
    r.to,
    r.reason,
  ]);
}
