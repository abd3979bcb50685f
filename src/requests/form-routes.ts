import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../platform/deps.ts';
import { MIN_JUSTIFICATION } from '../opportunities/guards.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { HttpError } from '../platform/errors.ts';
import { fieldErrors, keepValues, parseForm, type FieldError } from '../platform/forms.ts';
import { CAP_CENTS, formatMoney, highestPreTaxPriceCents } from '../platform/money.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import {
  highestTaxRate,
  licenceOptions,
  presentOwnRequests,
  presentReview,
  refusalErrors,
  stepList,
  stepValues,
  taxSummaryOf,
} from './form-present.ts';
import {
  newRequestForm,
  stepForms,
  submitForm,
  thenChoice,
  type StepInput,
} from './form-schemas.ts';
import {
  requestToEdit,
  reviewOf,
  saveStep,
  startRequest,
  submitRequest,
  type Blocked,
} from './form-service.ts';
import { clientDepartmentsOf, criteriaOf, departmentFinancesOf, requestsOf } from './repo.ts';
import { STEP_COUNT, stepFromParam, stepName, type StepNumber } from './steps.ts';

/** Clients of the department of the request the URL names; the service checks the requester. */
const requestClient: Access = { roles: ['client'], department: 'opportunity' };

const notices = z.enum(['saved', 'submitted']);

export function requestFormRoutes(deps: AppDeps): RouteDef[] {
  const stepView = 'requests/step.njk';
  const reviewView = 'requests/review.njk';
  const newView = 'requests/new.njk';

  /** The request in the URL if this person may change it; otherwise the page says why. */
  async function editable(req: Request, page: PageContext): Promise<OpportunityRow | undefined> {
    const found = await requestToEdit(deps, String(req.params.ref), page.user!);
    if (!found) throw new HttpError(404);
    if (!found.blocked) return found.request;
    renderBlocked(page, found.request, found.blocked);
    return undefined;
  }

  function renderBlocked(page: PageContext, request: OpportunityRow, blocked: Blocked) {
    page.render(
      'requests/not-editable.njk',
      {
        blocked,
        reference: request.reference,
        status: page.t(`status.${request.status}`),
      },
      blocked === 'notRequester' ? 403 : 409,
    );
  }

  async function renderStep(
    page: PageContext,
    request: OpportunityRow,
    step: StepNumber,
    form: { values: Record<string, string>; errors?: unknown[] },
    status = 200,
  ) {
    const finances = await departmentFinancesOf(deps.db, request.department_id);
    page.render(
      stepView,
      {
        reference: request.reference,
        step,
        stepCount: STEP_COUNT,
        stepName: page.t(`requests.steps.${stepName(step)}`),
        steps: stepList(request, step, page),
        sourceLanguage: page.t(`requests.languages.${request.source_language}`),
        licenceOptions,
        costCentreOptions: finances.cost_centres.map((c) => ({ value: c, label: c })),
        paymentOptions: finances.payment_methods.map((m) => ({
          value: m,
          label: page.t(`requests.fields.${m}`),
        })),
        cardExemption: finances.card_exemption_reference,
        taxSummary: step === 4 ? taxSummaryOf(form.values.price ?? '', page.lang) : undefined,
        values: form.values,
        errors: form.errors,
      },
      status,
    );
  }

  async function renderReview(
    page: PageContext,
    request: OpportunityRow,
    form: { justification?: string; errors?: FieldError[] } = {},
    status = 200,
  ) {
    const review = presentReview(request, await reviewOf(deps, request), page);
    page.render(
      reviewView,
      {
        review,
        steps: stepList(request, 'review', page),
        minJustification: MIN_JUSTIFICATION,
        values: { justification: form.justification ?? request.splitting_justification ?? '' },
        errors: form.errors,
      },
      status,
    );
  }

  async function newRequestPage(page: PageContext) {
    const departments = await clientDepartmentsOf(deps.db, page.user!.id);
    return {
      highest: formatMoney(highestPreTaxPriceCents(), page.lang),
      cap: formatMoney(CAP_CENTS, page.lang),
      rate: highestTaxRate(page.lang),
      departments: departments.map((d) => ({
        value: String(d.id),
        label:
          page.lang === 'fr' ? `${d.name_fr} (${d.acronym_fr})` : `${d.name_en} (${d.acronym_en})`,
      })),
    };
  }

  return [
    {
      page: 'requests',
      method: 'get',
      access: { roles: ['client'] },
      async handle(req, _res, page) {
        const notice = notices.safeParse(req.query.notice);
        page.render('requests/list.njk', {
          requests: presentOwnRequests(await requestsOf(deps.db, page.user!.id), page),
          notice: notice.success ? notice.data : undefined,
        });
      },
    },
    {
      page: 'newRequest',
      method: 'get',
      access: { roles: ['client'] },
      async handle(_req, _res, page) {
        const data = await newRequestPage(page);
        const only = data.departments.length === 1 ? data.departments[0]!.value : '';
        page.render(newView, { ...data, values: { department: only, sourceLanguage: page.lang } });
      },
    },
    {
      page: 'newRequest',
      method: 'post',
      limit: { name: 'new-request', limit: 30, windowMs: 15 * 60 * 1000 },
      access: { roles: ['client'] },
      async handle(req, res, page) {
        const data = await newRequestPage(page);
        const form = parseForm(newRequestForm, req, page, newView, data);
        if (!form) return;
        const reference = await startRequest(deps, page.user!, form);
        if (!reference) {
          const errors = [{ field: 'department', message: page.t('requests.errors.department') }];
          return page.render(newView, { ...data, values: keepValues(req.body), errors }, 400);
        }
        res.redirect(303, page.url('requestStep', { ref: reference, step: 1 }));
      },
    },
    {
      page: 'taxSummary',
      method: 'get',
      access: { roles: ['client'] },
      handle(req, _res, page) {
        const typed = typeof req.query.price === 'string' ? req.query.price : '';
        page.render('requests/tax-summary-fragment.njk', {
          taxSummary: taxSummaryOf(typed, page.lang),
        });
      },
    },
    {
      page: 'requestStep',
      method: 'get',
      access: requestClient,
      async handle(req, _res, page) {
        const step = stepFromParam(req.params.step);
        if (!step) throw new HttpError(404);
        const request = await editable(req, page);
        if (!request) return;
        const criteria = await criteriaOf(deps.db, request.id);
        await renderStep(page, request, step, {
          values: stepValues(step, request, criteria, page.lang),
        });
      },
    },
    {
      page: 'requestStep',
      method: 'post',
      limit: { name: 'request-step', limit: 200, windowMs: 15 * 60 * 1000 },
      access: requestClient,
      async handle(req, res, page) {
        const step = stepFromParam(req.params.step);
        if (!step) throw new HttpError(404);
        const request = await editable(req, page);
        if (!request) return;
        const values = keepValues(req.body);
        const parsed = stepForms[step].safeParse(req.body ?? {});
        if (!parsed.success) {
          return renderStep(
            page,
            request,
            step,
            { values, errors: fieldErrors(parsed.error, page.t) },
            400,
          );
        }
        const input = { step, ...parsed.data } as StepInput;
        const outcome = await saveStep(deps, page.user!, request.id, input);
        if (!outcome.ok) {
          if ('blocked' in outcome) return renderBlocked(page, request, outcome.blocked);
          const errors = refusalErrors(outcome.refusals, page.t, page.lang);
          return renderStep(page, request, step, { values, errors }, 400);
        }
        const then = thenChoice.parse((req.body as { then?: unknown } | undefined)?.then);
        const ref = request.reference;
        if (then === 'later') return res.redirect(303, `${page.url('requests')}?notice=saved`);
        res.redirect(
          303,
          step < STEP_COUNT
            ? page.url('requestStep', { ref, step: step + 1 })
            : page.url('requestReview', { ref }),
        );
      },
    },
    {
      page: 'requestReview',
      method: 'get',
      access: requestClient,
      async handle(req, _res, page) {
        const request = await editable(req, page);
        if (request) await renderReview(page, request);
      },
    },
    {
      page: 'requestReview',
      method: 'post',
      limit: { name: 'submit-request', limit: 30, windowMs: 15 * 60 * 1000 },
      access: requestClient,
      async handle(req, res, page) {
        const request = await editable(req, page);
        if (!request) return;
        const typed = keepValues(req.body).justification ?? '';
        const form = submitForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = fieldErrors(form.error, page.t).map((e) => ({
            field: e.field === 'justification' ? e.field : 'submit-request',
            message: e.message,
          }));
          return renderReview(page, request, { justification: typed, errors }, 400);
        }
        const outcome = await submitRequest(deps, page.user!, request.id, form.data);
        if (!outcome.ok) {
          const { failure } = outcome;
          const field =
            failure.kind === 'guard' && failure.failure.code === 'splitting_justification'
              ? 'justification'
              : 'submit-request';
          const errors = transitionMessages(failure, page.t).map((message) => ({ field, message }));
          const status = ['stale', 'wrong_state'].includes(failure.kind) ? 409 : 400;
          return renderReview(page, request, { justification: typed, errors }, status);
        }
        res.redirect(303, `${page.url('requests')}?notice=submitted`);
      },
    },
  ];
}
