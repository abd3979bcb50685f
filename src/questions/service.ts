import { isOpen } from '../opportunities/states.ts';
import type { AppDeps } from '../platform/deps.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { notify } from '../lifecycle/notify.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import {
  askerOf,
  insertQuestion,
  lockQuestion,
  saveAnswer,
  startWatching,
  stopWatching,
  watchersOf,
  type PublishedWording,
} from './repo.ts';
import type { AnswerForm } from './schemas.ts';

/**
 * Questions close this long before the deadline, so that every answer is published, in both
 * languages, while suppliers still have time to use it.
 */
export const QUESTIONS_CLOSE_HOURS = 48;

export function questionsCloseAt(closesAt: Date): Date {
  return new Date(closesAt.getTime() - QUESTIONS_CLOSE_HOURS * 60 * 60 * 1000);
}

/** Whether a supplier may ask now: only while published, open, and before questions close. */
export type AskState = 'open' | 'questionsClosed' | 'notOpen';

export function askState(o: { status: string; closesAt: Date | null }, now: Date): AskState {
  if (!isOpen(o, now) || !o.closesAt) return 'notOpen';
  return questionsCloseAt(o.closesAt).getTime() <= now.getTime() ? 'questionsClosed' : 'open';
}

export type Asked = { ok: true } | { ok: false; refusal: Exclude<AskState, 'open'> };

/**
 * Records a supplier's question and tells the requester and the program officers. The state is
 * checked again here, on the row as it is now: the page may have been opened before questions
 * closed.
 */
export async function askQuestion(
  deps: AppDeps,
  asker: CurrentUser,
  opportunityId: number,
  language: Lang,
  question: string,
): Promise<Asked> {
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    // A share lock: an addendum moving the deadline waits for this question, or goes first.
    const row: { status: string; closes_at: Date | null } | undefined = await trx('opportunities')
      .where({ id: opportunityId })
      .forShare()
      .first('status', 'closes_at');
    const state = row ? askState({ status: row.status, closesAt: row.closes_at }, now) : 'notOpen';
    if (state !== 'open') return { ok: false, refusal: state };
    const questionId = await insertQuestion(trx, {
      opportunityId,
      askedBy: asker.id,
      question,
      language,
      at: now,
    });
    await recordOpportunityEvent(trx, {
      opportunityId,
      action: 'question_asked',
      // Never the asker: the history is read by the client who will evaluate the applications.
      // `questions.asked_by` keeps who asked, out of every page.
      actorId: null,
      at: now,
      payload: { questionId, language },
    });
    await notify(trx, now, {
      template: 'question-asked',
      opportunityId,
      to: ['requester', { role: 'program_officer' }],
      key: questionId,
      link: 'answerQuestions',
      detail: question,
    });
    return { ok: true };
  });
}

export type Answered =
  | { ok: true; outcome: 'answered' | 'corrected' | 'unchanged' }
  | { ok: false; refusal: 'questionGone' | 'notAnswerer' | 'answersClosed' };

/** The client who requested the opportunity, or its department's program team. */
export function answersQuestionsOf(
  actor: CurrentUser | undefined,
  opportunity: { requester_id: number | null; department_id: number },
): boolean {
  if (!actor) return false;
  return (
    opportunity.requester_id === actor.id ||
    hasRole(actor, ['program_officer'], opportunity.department_id)
  );
}

/**
 * Publishes the answer to a question in both languages, or corrects a published one. The first
 * publication tells the asker; a correction is only recorded (it fixes wording, not substance).
 */
export async function answerQuestion(
  deps: AppDeps,
  actor: CurrentUser,
  opportunityId: number,
  form: AnswerForm,
): Promise<Answered> {
  const now = deps.clock.now();
  const wording: PublishedWording = {
    question_en: form.question_en,
    question_fr: form.question_fr,
    answer_en: form.answer_en,
    answer_fr: form.answer_fr,
  };
  return deps.db.transaction(async (trx) => {
    const opportunity = await trx('opportunities')
      .where({ id: opportunityId })
      .first('status', 'requester_id', 'department_id');
    if (!opportunity || !answersQuestionsOf(actor, opportunity)) {
      return { ok: false, refusal: 'notAnswerer' };
    }
    // Answers go out while it is open.
    if (opportunity.status !== 'published') return { ok: false, refusal: 'answersClosed' };
    const question = await lockQuestion(trx, opportunityId, form.questionId);
    if (!question) return { ok: false, refusal: 'questionGone' };
    const published = question.answered_at !== null;
    const keys = Object.keys(wording) as (keyof PublishedWording)[];
    // A second click on "Publish" changes nothing and records nothing.
    if (published && keys.every((k) => question[k] === wording[k])) {
      return { ok: true, outcome: 'unchanged' };
    }
    await saveAnswer(trx, question.id, wording, published ? undefined : { by: actor.id, at: now });
    await recordOpportunityEvent(trx, {
      opportunityId,
      action: published ? 'answer_corrected' : 'question_answered',
      actorId: actor.id,
      at: now,
      payload: {
        questionId: question.id,
        ...(published ? { changed: keys.filter((k) => question[k] !== wording[k]) } : {}),
      },
    });
    if (!published) {
      const asker = await askerOf(trx, question.id);
      if (asker) {
        await notify(trx, now, {
          template: 'question-answered',
          opportunityId,
          to: [asker],
          key: question.id,
          link: 'opportunity',
        });
      }
      // Those who watch hear of every answer; the asker has had their own email.
      const watchers = (await watchersOf(trx, opportunityId)).filter(
        (w) => w.email.toLowerCase() !== asker?.email.toLowerCase(),
      );
      if (watchers.length > 0) {
        await notify(trx, now, {
          template: 'answer-published',
          opportunityId,
          to: watchers,
          key: question.id,
          link: 'opportunity',
        });
      }
    }
    return { ok: true, outcome: published ? 'corrected' : 'answered' };
  });
}

/** Watching means an email for every addendum; stopping takes effect at once. */
export async function setWatching(
  deps: AppDeps,
  userId: number,
  opportunityId: number,
  watch: boolean,
): Promise<void> {
  if (watch) await startWatching(deps.db, opportunityId, userId, deps.clock.now());
  else await stopWatching(deps.db, opportunityId, userId);
}
