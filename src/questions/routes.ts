import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { presentDetail } from '../opportunities/present.ts';
import { findPublicOpportunity, type PublicOpportunityDetail } from '../opportunities/repo.ts';
import { referenceSchema } from '../opportunities/routes.ts';
import { formatDate, formatDeadline } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, type FieldError } from '../platform/forms.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { paragraphs, questionsSection, type QuestionsState } from './public.ts';
import { questionsOf, type QuestionRow } from './repo.ts';
import { answerForm, askForm, watchForm } from './schemas.ts';
import {
  answerQuestion,
  answersQuestionsOf,
  askQuestion,
  questionsCloseAt,
  QUESTIONS_CLOSE_HOURS,
  setWatching,
} from './service.ts';

/** The client and the program officers of the opportunity's department answer its questions. */
const answerers: Access = { roles: ['client', 'program_officer'], department: 'opportunity' };

const answerDone = ['answered', 'corrected', 'unchanged'] as const;

/** What was typed in one question's form, put back on that form only. */
interface Posted {
  questionId: number;
  values: Record<string, string>;
  errors: FieldError[];
}

export function questionRoutes(deps: AppDeps): RouteDef[] {
  const answersView = 'questions/answer.njk';

  async function publicOpportunity(req: Request, page: PageContext) {
    const reference = referenceSchema.safeParse(req.params.ref);
    if (!reference.success) throw new HttpError(404);
    const found = await findPublicOpportunity(deps.db, reference.data, page.lang, deps.clock.now());
    if (!found) throw new HttpError(404);
    return found;
  }

  /** The public page again, as the opportunity route renders it, with this form's outcome. */
  async function renderOpportunity(
    found: PublicOpportunityDetail,
    page: PageContext,
    state: QuestionsState,
    status: number,
  ) {
    page.render(
      'opportunities/detail.njk',
      {
        opportunity: presentDetail(found, page.lang, page.t, deps.clock.now()),
        questions: await questionsSection(deps, found, page, state),
      },
      status,
    );
  }

  /**
   * The opportunity whose questions this person answers. Another client of the department gets
   * a 404, as for the request page (review M6): its unpublished questions are not theirs to read.
   */
  async function staffOpportunity(req: Request, page: PageContext) {
    const reference = referenceSchema.safeParse(req.params.ref);
    const found = reference.success ? await findRequest(deps.db, reference.data) : undefined;
    if (!found || !answersQuestionsOf(page.user, found)) throw new HttpError(404);
    return found;
  }

  async function renderAnswers(
    req: Request,
    page: PageContext,
    posted?: Posted,
    formErrors: FieldError[] = [],
    status = 200,
  ) {
    const o = await staffOpportunity(req, page);
    const { lang, t } = page;
    const rows = await questionsOf(deps.db, o.id);
    const source = o.source_language;
    const title = String(o[`title_${lang}`] || o[`title_${source}`] || '');
    const done = answerDone.find((d) => d === req.query.done);
    page.render(
      answersView,
      {
        reference: o.reference,
        title,
        publicHref: page.url('opportunity', { ref: o.reference }),
        closes: o.closes_at ? formatDeadline(o.closes_at, lang) : '',
        questionsClose: o.closes_at ? formatDeadline(questionsCloseAt(o.closes_at), lang) : '',
        waiting: rows.filter((q) => q.answered_at === null).length,
        questions: rows.map((q) => presentQuestion(q, lang, t, posted)),
        done: posted ? undefined : done,
        errors: [
          ...formErrors,
          ...(posted?.errors ?? []).map((e) => ({
            ...e,
            field: `${e.field}-${posted?.questionId}`,
          })),
        ],
      },
      status,
    );
  }

  return [
    {
      page: 'askQuestion',
      method: 'post',
      shows: 'opportunity',
      access: 'supplier',
      // Each question emails the department's staff.
      limit: { name: 'ask-question', limit: 30, windowMs: 15 * 60 * 1000 },
      async handle(req, res, page) {
        const found = await publicOpportunity(req, page);
        const values = keepValues(req.body);
        const form = askForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t);
          return renderOpportunity(found, page, { values, errors }, 400);
        }
        const asked = await askQuestion(deps, page.user!, found.id, page.lang, form.data.question);
        if (!asked.ok) {
          const closes = found.closesAt
            ? formatDeadline(questionsCloseAt(found.closesAt), page.lang)
            : '';
          const message = page.t(`questions.errors.${asked.refusal}`, {
            closes,
            hours: QUESTIONS_CLOSE_HOURS,
          });
          return renderOpportunity(
            found,
            page,
            { values, errors: [{ field: 'question', message }] },
            409,
          );
        }
        res.redirect(303, `${page.url('opportunity', { ref: found.reference })}?done=question`);
      },
    },
    {
      page: 'watchOpportunity',
      method: 'post',
      limit: { name: 'watch-opportunity', limit: 30, windowMs: 15 * 60 * 1000 },
      shows: 'opportunity',
      access: 'supplier',
      async handle(req, res, page) {
        const found = await publicOpportunity(req, page);
        const form = watchForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t);
          return renderOpportunity(found, page, { errors }, 400);
        }
        const watch = form.data.watch === 'yes';
        await setWatching(deps, page.user!.id, found.id, watch);
        const done = watch ? 'watching' : 'unwatched';
        res.redirect(303, `${page.url('opportunity', { ref: found.reference })}?done=${done}`);
      },
    },
    {
      page: 'answerQuestions',
      method: 'get',
      access: answerers,
      async handle(req, _res, page) {
        await renderAnswers(req, page);
      },
    },
    {
      page: 'answerQuestions',
      method: 'post',
      limit: { name: 'answer-questions', limit: 60, windowMs: 15 * 60 * 1000 },
      access: answerers,
      async handle(req, res, page) {
        const o = await staffOpportunity(req, page);
        const form = answerForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t);
          const gone = errors.find((e) => e.field === 'questionId');
          if (gone) {
            return renderAnswers(req, page, undefined, [{ ...gone, field: 'questions' }], 400);
          }
          // The id passed its check: the typed values go back on that question's form.
          const questionId = Number((req.body as { questionId: string }).questionId);
          const values = keepValues(req.body);
          return renderAnswers(req, page, { questionId, values, errors }, [], 400);
        }
        const answered = await answerQuestion(deps, page.user!, o.id, form.data);
        if (!answered.ok) {
          const message = page.t(`questions.errors.${answered.refusal}`);
          return renderAnswers(req, page, undefined, [{ field: 'questions', message }], 409);
        }
        const href = page.url('answerQuestions', { ref: o.reference });
        res.redirect(303, `${href}?done=${answered.outcome}#question-${form.data.questionId}`);
      },
    },
  ];
}

function presentQuestion(
  q: QuestionRow,
  lang: PageContext['lang'],
  t: PageContext['t'],
  posted: Posted | undefined,
) {
  const mine = posted?.questionId === q.id;
  return {
    id: q.id,
    original: paragraphs(q.question),
    language: q.language,
    languageName: t(`questions.staff.languages.${q.language}`),
    asked: formatDate(q.asked_at, lang),
    askedIso: q.asked_at.toISOString(),
    answered: q.answered_at ? formatDate(q.answered_at, lang) : '',
    answeredIso: q.answered_at?.toISOString() ?? '',
    values: mine
      ? posted.values
      : {
          // The published wording starts from the original, in the language it was asked in.
          question_en: q.question_en ?? (q.language === 'en' ? q.question : ''),
          question_fr: q.question_fr ?? (q.language === 'fr' ? q.question : ''),
          answer_en: q.answer_en ?? '',
          answer_fr: q.answer_fr ?? '',
        },
    errors: mine ? posted.errors : [],
  };
}
