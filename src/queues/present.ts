import { formatCalendarDate, formatDate } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { url } from '../platform/routes.ts';
import { textIn } from '../requests/texts.ts';
import type { RoleQueues } from './service.ts';
import { ageInDays, isOverdue } from './urgency.ts';

/** The sections as the page shows them: each line's age, due date and overdue flag in words. */
export function presentLaterQueues(
  sections: readonly RoleQueues[],
  lang: Lang,
  t: Translate,
  now: Date,
) {
  return sections.map((s) => ({
    role: s.role,
    heading: s.role === 'supplier' ? t('queues.supplier') : t(`roles.${s.role}`),
    queues: s.queues.map((q) => ({
      name: `${s.role}-${q.name}`,
      heading: t(`queues.${q.name}.heading`),
      empty: t(`queues.${q.name}.empty`),
      lines: q.lines.map((l) => {
        const title = l.titles ? textIn(l.titles, 'title', lang) : undefined;
        return {
          reference: l.reference,
          href: url(l.href.page, l.href.params, lang),
          title: title?.text ?? '',
          titleLang: title?.lang ?? lang,
          detail: l.detail,
          since: formatDate(l.waitingSince, lang),
          sinceIso: l.waitingSince.toISOString(),
          age: t('queues.age', { count: ageInDays(l.waitingSince, now) }),
          due: l.dueOn === null ? t('queues.noDueDate') : formatCalendarDate(l.dueOn, lang),
          dueIso: l.dueOn,
          overdue: isOverdue(l.dueOn, now),
        };
      }),
    })),
  }));
}
