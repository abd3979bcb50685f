import { transitionMessages } from '../lifecycle/messages.ts';
import type { StepStanding } from '../lifecycle/overrides.ts';
import type { Conflict } from '../lifecycle/segregation.ts';
import { formatDate, formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import { textIn } from '../requests/texts.ts';
import type { OverrideRecord, OverrideToConfirm } from './override-service.ts';
import { stepPage } from './override-service.ts';
import { headingOf, moneyOf, presentDepartment } from './present.ts';
import type { PersonName } from './repo.ts';

const personName = (p: PersonName | undefined) => (p ? p.display_name || p.email : '');

/**
 * The section 32 page's part about segregation, for a manager the step is refused to: why, then
 * the override to ask for (or that awaits its second person, or that lets them approve once);
 * null when nothing stands in their way.
 */
export function presentSection32Override(
  found: { standing: StepStanding; confirmer: PersonName | undefined },
  reference: string,
  lang: Lang,
  t: Translate,
) {
  const { standing } = found;
  if (standing.kind === 'clear') return null;
  const conflicts = standing.conflicts.map((c) => t(`segregation.${c.reason}`));
  if (standing.kind === 'barred') return { kind: 'barred' as const, conflicts };
  const override = standing.override;
  if (!override) {
    return {
      kind: 'propose' as const,
      conflicts,
      action: url('proposeOverride', { ref: reference }, lang),
    };
  }
  const common = { conflicts, reason: override.reason, reasonLang: otherThan(override, lang) };
  if (override.confirmedBy === null || !override.confirmedAt) {
    return {
      kind: 'awaiting' as const,
      ...common,
      proposedAt: formatDeadline(override.proposedAt, lang),
    };
  }
  return {
    kind: 'confirmed' as const,
    ...common,
    confirmer: personName(found.confirmer),
    confirmedAt: formatDeadline(override.confirmedAt, lang),
  };
}

/** The reason's language when the proposer typed it in the other one (WCAG 3.1.2). */
const otherThan = (override: { reasonLang: Lang | null }, lang: Lang) =>
  override.reasonLang && override.reasonLang !== lang ? override.reasonLang : null;

/** The proposer's conflicts as the second person reads them: about the proposer, not "you". */
const conflictsOf = (conflicts: readonly Conflict[], t: Translate) =>
  conflicts.map((c) => t(`review.overrides.conflicts.${c.reason}`));

/** The confirmation page: the request, the step, who asks and why, and what the viewer may do. */
export function presentOverride(record: OverrideRecord, lang: Lang, t: Translate) {
  const { row, override, machine } = record;
  const def = machine.transitions[override.action];
  const roles = def && def.roles !== 'supplier' ? def.roles : [];
  const reference = row.reference;
  const awaiting = override.state === 'awaiting';
  return {
    ...headingOf(row, lang, t),
    department: presentDepartment(record.department, lang),
    money: moneyOf(row, lang),
    step: def?.duty ? t(`review.overrides.duties.${def.duty}`) : '',
    roles: roles.map((role) => t(`roles.${role}`)).join(', '),
    proposer: personName(record.proposer),
    proposedAt: formatDeadline(override.proposedAt, lang),
    conflicts: conflictsOf(record.conflicts, t),
    reason: override.reason,
    reasonLang: otherThan(override, lang),
    state: override.state,
    confirmer: personName(record.confirmer),
    confirmedAt: override.confirmedAt ? formatDeadline(override.confirmedAt, lang) : '',
    action: url('confirmOverride', { ref: reference, override: override.id }, lang),
    stepUrl: url(stepPage(override), { ref: reference }, lang),
    // A certification's override is confirmed by section 34 managers, who work from their own
    // queue and the invoice's evidence page, not the request's.
    ...(stepPage(override) === 'certificationEvidence'
      ? {
          queue: {
            text: t('certification.queue.title'),
            href: url('certificationQueue', {}, lang),
          },
          back: {
            text: t('certification.backToEvidence'),
            href: url('certificationEvidence', { ref: reference }, lang),
          },
        }
      : {
          queue: { text: t('review.queues.title'), href: url('workQueues', {}, lang) },
          back: { text: t('review.backToRequest'), href: url('request', { ref: reference }, lang) },
        }),
    mayConfirm: awaiting && !record.refusal,
    refusal: awaiting && record.refusal ? transitionMessages(record.refusal, t) : [],
  };
}

/** "Needs attention": the overrides this person can confirm, oldest first. */
export function presentOverrideQueue(rows: readonly OverrideToConfirm[], lang: Lang, t: Translate) {
  return rows.map((r) => {
    const title = textIn(r.title, 'title', lang);
    const duty = r.machine.transitions[r.override.action]?.duty;
    return {
      reference: r.reference,
      href: url('confirmOverride', { ref: r.reference, override: r.override.id }, lang),
      title: title.text,
      titleLang: title.lang,
      step: duty ? t(`review.overrides.duties.${duty}`) : '',
      proposer: personName(r.proposer),
      since: formatDate(r.override.proposedAt, lang),
      sinceIso: r.override.proposedAt.toISOString(),
    };
  });
}
