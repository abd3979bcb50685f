import type { Request, Response } from 'express';
import { currentUserOf } from '../accounts/session.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { hasRole } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, type FieldError } from '../platform/forms.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import type { PageName } from '../platform/routes.ts';
import { presentApplicant, presentOverview, type Viewer } from './present.ts';
import { possibleEvaluators } from './repo.ts';
import { positionOfLetter } from './rules.ts';
import {
  consensusForm,
  declarationForm,
  lockForm,
  nameEvaluatorForm,
  parseDecisions,
  returnForm,
} from './schemas.ts';
import {
  declareNoConflict,
  lockEvaluation,
  nameEvaluator,
  recordConsensus,
  returnForRework,
  saveApplicantDecisions,
} from './service.ts';
import type { EvaluationOutcome } from './guard.ts';
import { readEvaluation } from './state.ts';

/** Reached by the department's clients and program officers; the page decides the rest. */
const evaluationStaff: Access = {
  roles: ['client', 'program_officer'],
  department: 'opportunity',
};
const limit = (name: string) => ({ name, limit: 120, windowMs: 15 * 60 * 1000 });
const overviewView = 'evaluation/overview.njk';
const applicantView = 'evaluation/applicant.njk';

export function evaluationRoutes(deps: AppDeps): RouteDef[] {
  /**
   * The evaluation as this person may read it: its program officers, its evaluators and the
   * requester. A colleague client gets a 404, as for the request page (review M6).
   */
  async function load(req: Request, page: PageContext) {
    const found = await readEvaluation(deps, String(req.params.ref));
    if (!found) throw new HttpError(404);
    const user = page.user!;
    const { file, state } = found;
    const officer = hasRole(user, ['program_officer'], file.department_id);
    const evaluator = state.evaluators.find((e) => e.user_id === user.id);
    if (!officer && !evaluator && file.requester_id !== user.id) throw new HttpError(404);
    const viewer: Viewer = { user, officer, evaluator };
    return { file, state, viewer };
  }

  const messagesOf = (outcome: EvaluationOutcome<unknown>, t: PageContext['t']): string[] =>
    outcome.ok
      ? []
      : 'refusal' in outcome
        ? [t(`evaluation.refusals.${outcome.refusal}`)]
        : transitionMessages(outcome.failure, t);

  async function renderOverview(
    req: Request,
    page: PageContext,
    extra: { errors?: FieldError[]; values?: Record<string, string> } = {},
    status = 200,
  ) {
    const { file, state, viewer } = await load(req, page);
    const candidates = viewer.officer ? await possibleEvaluators(deps.db, file.department_id) : [];
    page.render(
      overviewView,
      {
        ...presentOverview(file, state, viewer, candidates, page),
        done: extra.errors ? undefined : req.query.done,
        errors: extra.errors ?? [],
        values: extra.values ?? {},
      },
      status,
    );
  }

  async function renderApplicant(
    req: Request,
    page: PageContext,
    extra: { errors?: FieldError[]; values?: Record<string, string> } = {},
    status = 200,
  ) {
    const { file, state, viewer } = await load(req, page);
    const position = positionOfLetter(req.params.applicant);
    const applicant = state.applicants.find((a) => a.position === position);
    if (!applicant || !viewer.evaluator?.declared_at) throw new HttpError(404);
    page.render(
      applicantView,
      {
        ...(await presentApplicant(deps.db, file, state, applicant, viewer, page, extra.values)),
        done: extra.errors ? undefined : req.query.done,
        errors: extra.errors ?? [],
      },
      status,
    );
  }

  /** A refused or invalid overview form: the page again with what was typed and why. */
  const refusedOverview = (req: Request, page: PageContext, field: string, messages: string[]) =>
    renderOverview(
      req,
      page,
      { errors: messages.map((message) => ({ field, message })), values: keepValues(req.body) },
      messages.length ? 409 : 200,
    );

  const done = (res: Response, page: PageContext, ref: string, what: string) =>
    res.redirect(303, `${page.url('evaluation', { ref })}?done=${what}`);

  /** A form of the overview page: parse, act, then back to the overview. */
  function overviewPost<T>(
    pageName: PageName,
    name: string,
    field: string,
    parse: (body: unknown) => { success: true; data: T } | { success: false; error: never },
    act: (req: Request, page: PageContext, data: T) => Promise<EvaluationOutcome<unknown>>,
  ): RouteDef {
    return {
      page: pageName,
      method: 'post',
      shows: 'evaluation',
      access: evaluationStaff,
      limit: limit(name),
      async handle(req, res, page) {
        await load(req, page);
        const form = parse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t).map((e) => ({
            ...e,
            field: e.field === 'form' ? field : e.field,
          }));
          return renderOverview(req, page, { errors, values: keepValues(req.body) }, 400);
        }
        const outcome = await act(req, page, form.data);
        if (!outcome.ok) return refusedOverview(req, page, field, messagesOf(outcome, page.t));
        done(res, page, String(req.params.ref), name);
      },
    };
  }

  return [
    {
      page: 'evaluation',
      method: 'get',
      access: evaluationStaff,
      handle: (req, _res, page) => renderOverview(req, page),
    },
    overviewPost(
      'evaluationDeclaration',
      'declaration',
      'noConflict',
      (b) => declarationForm.safeParse(b) as never,
      (req, page) =>
        declareNoConflict(deps, page.user!, String(req.params.ref), {
          wording: page.t('evaluation.declaration.text'),
          language: page.lang,
        }),
    ),
    overviewPost(
      'evaluationEvaluators',
      'evaluator',
      'evaluator',
      (b) => nameEvaluatorForm.safeParse(b) as never,
      async (req, page, data: { evaluator: number }) => {
        const person = await currentUserOf(deps.db, data.evaluator);
        if (!person) return { ok: false, refusal: 'not_staff_of_department' } as const;
        return nameEvaluator(deps, page.user!, String(req.params.ref), person);
      },
    ),
    overviewPost(
      'evaluationReturn',
      'returned',
      'comment',
      (b) => returnForm.safeParse(b) as never,
      (req, page, data: { returnTo: number; comment: string }) =>
        returnForRework(
          deps,
          page.user!,
          String(req.params.ref),
          data.returnTo,
          data.comment,
          page.lang,
        ),
    ),
    overviewPost(
      'evaluationConsensus',
      'consensus',
      'consensus',
      (b) => consensusForm.safeParse(b) as never,
      (
        req,
        page,
        data: { applicant: string; criterion: number; decision: 'pass' | 'fail'; reason: string },
      ) =>
        recordConsensus(
          deps,
          page.user!,
          String(req.params.ref),
          positionOfLetter(data.applicant) ?? 0,
          {
            criterionId: data.criterion,
            decision: data.decision,
            reason: data.reason,
          },
        ),
    ),
    overviewPost(
      'evaluationLock',
      'locked',
      'lock',
      (b) => lockForm.safeParse(b) as never,
      (req, page, data: { version: number }) =>
        lockEvaluation(deps, page.user!, String(req.params.ref), data.version),
    ),
    {
      page: 'evaluationApplicant',
      method: 'get',
      access: evaluationStaff,
      handle: (req, _res, page) => renderApplicant(req, page),
    },
    {
      page: 'evaluationApplicant',
      method: 'post',
      access: evaluationStaff,
      limit: limit('evaluation-applicant'),
      async handle(req, res, page) {
        const { state } = await load(req, page);
        const position = positionOfLetter(req.params.applicant);
        if (!state.applicants.some((a) => a.position === position)) throw new HttpError(404);
        const values = keepValues(req.body);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const parsed = parseDecisions(
          body,
          state.criteria.map((c) => c.id),
        );
        if (parsed.problems.length > 0) {
          const errors = parsed.problems.map((p) => ({
            field: p.field,
            message: page.t(p.key, p.values),
          }));
          return renderApplicant(req, page, { errors, values }, 400);
        }
        const ref = String(req.params.ref);
        const outcome = await saveApplicantDecisions(
          deps,
          page.user!,
          ref,
          position!,
          parsed.decisions,
        );
        if (!outcome.ok) {
          const errors = messagesOf(outcome, page.t).map((message) => ({
            field: 'decisions',
            message,
          }));
          return renderApplicant(req, page, { errors, values }, 409);
        }
        res.redirect(
          303,
          `${page.url('evaluationApplicant', { ref, applicant: String(req.params.applicant) })}?done=saved`,
        );
      },
    },
  ];
}
