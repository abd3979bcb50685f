import { isOpen } from '../opportunities/states.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { FieldError } from '../platform/forms.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import type { PageContext } from '../platform/router.ts';
import { url } from '../platform/routes.ts';
import type {
  AnswerRow,
  ApplicationRecord,
  AttestationText,
  CriterionToAnswer,
  MyApplication,
} from './repo.ts';
import { ANSWER_MAX_LENGTH, LINKS_MAX, workStatuses, type Attestations } from './schemas.ts';

const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? 'yes' : 'no');

/** The form's values as saved: what the page shows before anything is typed. */
function savedValues(
  a: Attestations,
  criteria: readonly CriterionToAnswer[],
  answers: readonly AnswerRow[],
) {
  const values: Record<string, string> = {
    majority: a.majority ? 'yes' : '',
    workStatus: a.workStatus ?? '',
    publicServant: yesNo(a.publicServant),
    dgApproval: a.dgApproval ? 'yes' : '',
    formerPublicServant: yesNo(a.formerPublicServant),
    conflict: yesNo(a.conflict),
    conflictDetails: a.conflictDetails ?? '',
  };
  for (const c of criteria) {
    const answer = answers.find((x) => x.mandatory_criterion_id === c.id);
    values[`answer_${c.id}`] = answer?.answer ?? '';
    values[`links_${c.id}`] = (answer?.links ?? []).join('\n');
  }
  return values;
}

export interface ApplicationPageData {
  record: ApplicationRecord;
  criteria: readonly CriterionToAnswer[];
  answers: readonly AnswerRow[];
  wording: AttestationText;
  payment: { card: boolean; paypal: boolean; ready: boolean };
  now: Date;
}

/** The application page: the form while it can change, else what was sent, and the steps. */
export function presentApplication(
  d: ApplicationPageData,
  page: PageContext,
  posted?: { values: Record<string, string>; errors: FieldError[] },
) {
  const { lang, t } = page;
  const r = d.record;
  const open = isOpen({ status: r.opportunity_status, closesAt: r.closes_at }, d.now);
  const editable = open && (r.status === 'draft' || r.status === 'submitted');
  const w = d.wording.texts;
  return {
    id: r.id,
    status: r.status,
    statusLabel: t(`lifecycle.states.application.${r.status}`),
    version: r.version,
    open,
    editable,
    criteriaChanged: r.status === 'submitted' && r.criteria_changed_at !== null,
    opportunity: {
      reference: r.reference,
      title: lang === 'fr' ? r.title_fr : r.title_en,
      href: page.url('opportunity', { ref: r.reference }),
      closes: r.closes_at ? formatDeadline(r.closes_at, lang) : '',
      closesIso: r.closes_at?.toISOString() ?? '',
    },
    criteria: d.criteria.map((c, index) => {
      const answer = d.answers.find((x) => x.mandatory_criterion_id === c.id);
      return {
        id: c.id,
        number: index + 1,
        text: lang === 'fr' ? c.text_fr : c.text_en,
        // Answered under an earlier wording: an addendum revised this criterion since.
        revised: answer !== undefined && answer.criterion_version !== c.version,
      };
    }),
    wording: {
      id: d.wording.id,
      version: d.wording.version,
      language: d.wording.language,
      texts: w,
      statuses: workStatuses.map((value) => ({ value, label: w[value] })),
      yesNo: [
        { value: 'yes', label: w.yes },
        { value: 'no', label: w.no },
      ],
    },
    payment: { ...d.payment, profileHref: page.url('profile') },
    limits: { answer: ANSWER_MAX_LENGTH, links: LINKS_MAX },
    values: posted?.values ?? savedValues(r.attestations, d.criteria, d.answers),
    errors: posted?.errors ?? [],
    confirmationHref: page.url('applicationConfirmation', { id: r.id }),
    action: page.url('application', { id: r.id }),
  };
}

/** "My applications": each with its opportunity, deadline and state. */
export function presentMine(rows: readonly MyApplication[], lang: Lang, t: Translate, now: Date) {
  return rows.map((a) => ({
    href: url('application', { id: a.id }, lang),
    reference: a.reference,
    title: a.title,
    status: a.status,
    statusLabel: t(`lifecycle.states.application.${a.status}`),
    closes: a.closes_at ? formatDeadline(a.closes_at, lang) : '',
    closesIso: a.closes_at?.toISOString() ?? '',
    open: isOpen({ status: a.opportunity_status, closesAt: a.closes_at }, now),
    criteriaChanged: a.status === 'submitted' && a.criteria_changed_at !== null,
    contractHref: a.contract_id ? url('contract', { id: a.contract_id }, lang) : null,
  }));
}
