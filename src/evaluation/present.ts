import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { PageContext } from '../platform/router.ts';
import { pairIn, textIn } from '../requests/texts.ts';
import {
  answersOf,
  type AnonymousApplicant,
  type EvaluationFile,
  type EvaluatorRow,
} from './repo.ts';
import { applicantLetter } from './rules.ts';
import { decisionField, reasonField } from './schemas.ts';
import { evaluatorsRequired } from './guard.ts';
import type { evaluationState } from './state.ts';

type State = Awaited<ReturnType<typeof evaluationState>>;

export interface Viewer {
  user: CurrentUser;
  officer: boolean;
  evaluator: EvaluatorRow | undefined;
}

const criterionText = (c: { text_en: string; text_fr: string }, page: PageContext) =>
  pairIn({ en: c.text_en, fr: c.text_fr }, page.lang);

/** How many of the applicants' criteria this evaluator has decided. */
function progressOf(state: State, evaluatorId: number) {
  const total = state.applicants.length * state.criteria.length;
  const decided = state.decisions.filter((d) => d.evaluatorId === evaluatorId).length;
  return { decided, total };
}

/** The evaluators' disagreements, each with the two decisions and the consensus if any. */
function disagreementsOf(state: State, page: PageContext) {
  const { t } = page;
  const letterOf = (applicationId: number) =>
    applicantLetter(state.applicants.find((a) => a.applicationId === applicationId)?.position ?? 0);
  return state.disagreements.map((d) => {
    const criterion = state.criteria.find((c) => c.id === d.criterionId)!;
    const agreed = state.consensus.find(
      (c) => c.applicationId === d.applicationId && c.criterionId === d.criterionId,
    );
    return {
      letter: letterOf(d.applicationId),
      criterionId: criterion.id,
      criterionPosition: criterion.position,
      criterion: criterionText(criterion, page),
      views: state.decisions
        .filter((x) => x.applicationId === d.applicationId && x.criterionId === d.criterionId)
        .map((x) => ({
          who: state.evaluators.find((e) => e.user_id === x.evaluatorId)?.name ?? '',
          decision: t(`evaluation.decisions.${x.decision}`),
          reason: x.reason,
        })),
      agreed: agreed
        ? { decision: t(`evaluation.decisions.${agreed.decision}`), reason: agreed.reason }
        : undefined,
    };
  });
}

/** One consensus form on the page at a time (its fields keep what was typed on an error). */
const firstOpenHasTheForm = <D extends { agreed: unknown }>(list: D[]) => {
  const first = list.findIndex((d) => !d.agreed);
  return list.map((d, i) => ({ ...d, form: i === first }));
};

/**
 * The evaluation's overview. Applicants appear only by their letter: no name, no email, no
 * profile, whoever reads it. Each evaluator sees their own decisions only until every evaluator
 * has finished (the evaluations are independent).
 */
export function presentOverview(
  file: EvaluationFile,
  state: State,
  viewer: Viewer,
  candidates: readonly { id: number; name: string }[],
  page: PageContext,
) {
  const { t } = page;
  const me = viewer.evaluator;
  const declared = Boolean(me?.declared_at);
  const title = textIn(file, 'title', page.lang);
  const ref = file.reference;
  // Counted once: an opportunity may have hundreds of applicants.
  const decidedBy = new Map<number, number>();
  for (const d of state.decisions) {
    if (d.evaluatorId === viewer.user.id)
      decidedBy.set(d.applicationId, (decidedBy.get(d.applicationId) ?? 0) + 1);
  }
  const mine = (applicationId: number) => decidedBy.get(applicationId) ?? 0;
  const taken = new Set([...state.evaluators.map((e) => e.user_id), ...state.barred]);
  return {
    reference: ref,
    title: title.text,
    titleLang: title.lang,
    statusLabel: t(`status.${file.status}`),
    closed: file.status === 'closed',
    // Once locked and drawn: the public record of the draw, which anyone can check.
    drawHref: file.status === 'closed' ? '' : page.url('drawResults', { ref }),
    version: file.version,
    required: state.declared.length < 2 && file.second_evaluator_required ? 2 : undefined,
    canDeclare:
      file.status === 'closed' &&
      !declared &&
      (Boolean(me) ||
        (file.requester_id === viewer.user.id &&
          state.evaluators.length < evaluatorsRequired(file))),
    declared,
    returned: me?.returned_at ? { comment: me.return_comment ?? '' } : undefined,
    applicants: declared
      ? state.applicants.map((a) => ({
          letter: applicantLetter(a.position),
          href: page.url('evaluationApplicant', { ref, applicant: applicantLetter(a.position) }),
          decided: mine(a.applicationId),
          total: state.criteria.length,
          statusLabel: t(`lifecycle.states.application.${a.status}`),
        }))
      : [],
    disagreements: declared ? firstOpenHasTheForm(disagreementsOf(state, page)) : [],
    lock:
      declared && file.status === 'closed'
        ? {
            possible: state.lockRefusal === undefined,
            why: state.lockRefusal ? t(`evaluation.refusals.${state.lockRefusal}`) : '',
          }
        : undefined,
    officer: viewer.officer
      ? {
          required: file.second_evaluator_required ? 2 : 1,
          evaluators: state.evaluators.map((e) => ({
            id: e.user_id,
            name: e.name,
            declared: Boolean(e.declared_at),
            returned: e.return_comment ?? '',
            ...progressOf(state, e.user_id),
          })),
          candidates: candidates
            .filter((c) => !taken.has(c.id))
            .map((c) => ({ value: String(c.id), label: c.name })),
          canName:
            ['published', 'closed'].includes(file.status) &&
            state.evaluators.length < (file.second_evaluator_required ? 2 : 1),
        }
      : undefined,
  };
}

/** One applicant's answers and the evaluator's own decisions, by criterion. */
export async function presentApplicant(
  db: Db,
  file: EvaluationFile,
  state: State,
  applicant: AnonymousApplicant,
  viewer: Viewer,
  page: PageContext,
  typed?: Record<string, string>,
) {
  const answers = await answersOf(db, applicant.applicationId);
  const saved: Record<string, string> = {};
  for (const d of state.decisions) {
    if (d.evaluatorId !== viewer.user.id || d.applicationId !== applicant.applicationId) continue;
    saved[decisionField(d.criterionId)] = d.decision;
    saved[reasonField(d.criterionId)] = d.reason;
  }
  const letter = applicantLetter(applicant.position);
  const index = state.applicants.findIndex((a) => a.applicationId === applicant.applicationId);
  const next = state.applicants[index + 1];
  return {
    reference: file.reference,
    letter,
    answerLang: applicant.language,
    closed: file.status === 'closed',
    values: typed ?? saved,
    next: next ? applicantLetter(next.position) : undefined,
    criteria: state.criteria.map((c) => {
      const answer = answers.find((a) => a.mandatory_criterion_id === c.id);
      return {
        id: c.id,
        position: c.position,
        text: criterionText(c, page),
        answer: answer?.answer ?? '',
        links: answer?.links ?? [],
        decisionField: decisionField(c.id),
        reasonField: reasonField(c.id),
      };
    }),
  };
}
