import type { CurrentUser } from '../platform/auth.ts';
import { formatCalendarDate, formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import type { PageName, UrlParams } from '../platform/routes.ts';
import { presentHistory } from '../review/history.ts';
import type { TermsAcceptance } from '../terms/repo.ts';
import { availableActions } from '../lifecycle/access.ts';
import { isDepartmentSide, type ContractViewer } from './access.ts';
import { contractMachine } from './machine.ts';
import type {
  ContractEventRow,
  ContractOpportunity,
  ContractRecord,
  MessageRow,
  TimelineRow,
} from './repo.ts';
import { midpointPassed } from './schedule.ts';
import { MESSAGE_MAX, NOTE_MAX, REASON_MAX } from './schemas.ts';

export interface ContractFacts {
  contract: ContractRecord;
  opportunity: ContractOpportunity;
  viewer: ContractViewer;
  user: CurrentUser;
  acceptance: TermsAcceptance | undefined;
  criteria: { text_en: string; text_fr: string }[];
  messages: MessageRow[];
  checkIns: ContractEventRow[];
  timeline: TimelineRow[];
  /** The contract offered next in the draw order after this one was terminated, if any. */
  nextOffered: boolean;
  now: Date;
}

interface Page {
  lang: Lang;
  t: Translate;
  url(name: PageName, params?: UrlParams, lang?: Lang): string;
}

/** A text written in the other language than the page's is marked (WCAG 3.1.2). */
const otherLang = (written: string | null | undefined, lang: Lang) =>
  written && written !== lang ? written : null;

function timeline(rows: TimelineRow[], page: Page) {
  const { lang, t } = page;
  return presentHistory(rows, lang, t).map((entry, i) => {
    const row = rows[i]!;
    const p = row.payload ?? {};
    if (row.action === 'check_in') {
      return { ...entry, to: t(`contracts.checkIn.answers.${String(p.answer)}`) };
    }
    if (row.action === 'extend_due_date') {
      return {
        ...entry,
        from: p.fromDueOn ? formatCalendarDate(String(p.fromDueOn), lang) : '',
        to: p.toDueOn ? formatCalendarDate(String(p.toDueOn), lang) : '',
      };
    }
    return entry;
  });
}

/** Everything the contract page shows, in the page's language; views compute nothing. */
export function presentContract(f: ContractFacts, page: Page) {
  const { lang, t } = page;
  const { contract, opportunity, viewer } = f;
  const latest = f.checkIns.at(-1);
  const actions = availableActions(contractMachine, contract, f.user);
  const department = isDepartmentSide(viewer);
  return {
    id: contract.id,
    viewer,
    department,
    status: contract.status,
    statusLabel: t(`lifecycle.states.contract.${contract.status}`),
    reference: opportunity.reference,
    title: opportunity[`title_${lang}`],
    publicHref: page.url('opportunity', { ref: opportunity.reference }),
    requestHref: department ? page.url('request', { ref: opportunity.reference }) : null,
    termsHref: page.url('terms'),
    accepted: f.acceptance && {
      number: f.acceptance.number,
      at: formatDeadline(f.acceptance.accepted_at, lang),
      language: t(`terms.languages.${f.acceptance.language}`),
    },
    dueOn: contract.due_on ? formatCalendarDate(contract.due_on, lang) : null,
    dueOnIso: contract.due_on,
    midpointOn: contract.midpoint_on ? formatCalendarDate(contract.midpoint_on, lang) : null,
    midpointPassed: contract.midpoint_on ? midpointPassed(contract.midpoint_on, f.now) : false,
    criteria: f.criteria.map((c) => c[`text_${lang}`]),
    checkIn: latest && {
      answer: String(latest.payload.answer),
      answerLabel: t(`contracts.checkIn.answers.${String(latest.payload.answer)}`),
      at: formatDeadline(latest.at, lang),
      note: latest.reason ?? '',
      noteLang: otherLang(latest.reason_lang, lang),
    },
    canCheckIn: viewer === 'supplier' && contract.status === 'in_progress',
    messages: f.messages.map((m) => ({
      who:
        m.author_kind === 'supplier'
          ? t('contracts.messages.fromSupplier')
          : t('contracts.messages.fromDepartment', { name: m.author_name ?? '' }),
      mine: m.author_id === f.user.id,
      at: formatDeadline(m.created_at, lang),
      atIso: m.created_at.toISOString(),
      body: m.body,
      lang: otherLang(m.lang, lang),
    })),
    canExtend: department && contract.status === 'in_progress',
    canTerminate: department && actions.includes('terminate_contract'),
    nextOffered: f.nextOffered,
    repostHref:
      viewer === 'client' && opportunity.status === 'terminated'
        ? page.url('repostRequest', { ref: opportunity.reference })
        : null,
    timeline: timeline(f.timeline, page),
    limits: { message: MESSAGE_MAX, note: NOTE_MAX, reason: REASON_MAX },
    values: { version: String(contract.version) } as Record<string, string>,
  };
}
