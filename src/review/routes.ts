import { applicationsForStaff } from '../applications/sealed.ts';
import type { Request, Response } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, type FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { attestationText, presentCancellation, presentRequest } from './present.ts';
import { findFundReservation } from './repo.ts';
import { section32PageData, section32View } from './section32-page.ts';
import {
  cancelForm,
  doneNotices,
  releaseForm,
  screeningForm,
  section32Form,
  type DoneNotice,
  type ScreeningDecision,
} from './schemas.ts';
import {
  approveFunds,
  cancelRequest,
  readsRequest,
  releaseFunds,
  requestRecord,
  screenRequest,
  type Outcome,
  type Refusal,
} from './service.ts';

/**
 * Staff of the request's department who may read it, and clients of it; the handler then lets a
 * client through to their own requests only (readsRequest). Everyone else gets a 404.
 */
const requestViewers: Access = {
  roles: ['client', 'program_officer', 'section32_manager', 'finance_officer'],
  department: 'opportunity',
};
const programTeam: Access = { roles: ['program_officer'], department: 'opportunity' };
const section32Managers: Access = { roles: ['section32_manager'], department: 'opportunity' };
const cancellers: Access = { roles: ['client', 'program_officer'], department: 'opportunity' };
const releasers: Access = {
  roles: ['section32_manager', 'finance_officer'],
  department: 'opportunity',
};

const requestView = 'review/request.njk';
const cancelView = 'review/cancel.njk';

const doneAfterScreening: Record<ScreeningDecision, DoneNotice> = {
  accept: 'accepted',
  return: 'returned',
  decline: 'declined',
};

/** A refusal as error-summary entries pointing at the part of the page that was used. */
function refusalErrors(refusal: Refusal, field: string, t: Translate): FieldError[] {
  const messages =
    refusal.kind === 'transition' ? transitionMessages(refusal.failure, t) : [t(refusal.key)];
  return messages.map((message) => ({ field, message }));
}

/** A step refused by the lifecycle conflicts with the request's state; our own refusals are 400. */
const refusalStatus = (refusal: Refusal) => (refusal.kind === 'transition' ? 409 : 400);

const reference = (req: Request) => String(req.params.ref);

export function reviewRoutes(deps: AppDeps): RouteDef[] {
  async function requestPage(req: Request, page: PageContext) {
    const record = await requestRecord(
      deps.db,
      reference(req),
      deps.clock.now(),
      deps.config.SESSION_SECRET,
    );
    // A colleague's request is none of a client's business: as if it did not exist.
    if (!record || !readsRequest(page.user, record.row)) throw new HttpError(404);
    return {
      request: presentRequest(record, page.user!, page.lang, page.t),
      applications: await applicationsForStaff(deps.db, record.row),
    };
  }

  /** After a step: back to the request page with a notice, or the same page with the refusal. */
  async function afterStep(
    req: Request,
    res: Response,
    page: PageContext,
    outcome: Outcome,
    done: DoneNotice,
    view: { name: string; field: string; data: () => Promise<Record<string, unknown>> },
  ) {
    if (outcome.ok) {
      return res.redirect(303, `${page.url('request', { ref: reference(req) })}?done=${done}`);
    }
    page.render(
      view.name,
      {
        ...(await view.data()),
        values: keepValues(req.body),
        errors: refusalErrors(outcome.refusal, view.field, page.t),
      },
      refusalStatus(outcome.refusal),
    );
  }

  const section32Page = (req: Request, page: PageContext) =>
    section32PageData(deps, reference(req), page);

  async function cancelPage(req: Request, page: PageContext) {
    const row = await findRequest(deps.db, reference(req));
    if (!row || !readsRequest(page.user, row)) throw new HttpError(404);
    const reservation = await findFundReservation(deps.db, row.id);
    return { request: presentCancellation(row, reservation, page.lang, page.t) };
  }

  return [
    {
      page: 'request',
      method: 'get',
      access: requestViewers,
      async handle(req, _res, page) {
        const done = doneNotices.safeParse(req.query.done);
        page.render(requestView, {
          ...(await requestPage(req, page)),
          values: {},
          done: done.success ? done.data : undefined,
        });
      },
    },
    {
      page: 'screenRequest',
      method: 'post',
      limit: { name: 'screen-request', limit: 60, windowMs: 15 * 60 * 1000 },
      shows: 'request',
      access: programTeam,
      async handle(req, res, page) {
        const form = parseForm(screeningForm, req, page, requestView, await requestPage(req, page));
        if (!form) return;
        const outcome = await screenRequest(deps, page.user!, reference(req), form, page.lang);
        await afterStep(req, res, page, outcome, doneAfterScreening[form.decision], {
          name: requestView,
          field: 'actions',
          data: () => requestPage(req, page),
        });
      },
    },
    {
      page: 'approveFunds',
      method: 'get',
      access: section32Managers,
      async handle(req, _res, page) {
        page.render(section32View, { ...(await section32Page(req, page)), values: {} });
      },
    },
    {
      page: 'approveFunds',
      method: 'post',
      limit: { name: 'approve-funds', limit: 60, windowMs: 15 * 60 * 1000 },
      access: section32Managers,
      async handle(req, res, page) {
        const form = parseForm(
          section32Form,
          req,
          page,
          section32View,
          await section32Page(req, page),
        );
        if (!form) return;
        const outcome = await approveFunds(deps, page.user!, reference(req), form, (amount) => ({
          text: attestationText(amount, page.lang, page.t),
          lang: page.lang,
        }));
        await afterStep(req, res, page, outcome, 'fundsApproved', {
          name: section32View,
          field: 'approval',
          data: () => section32Page(req, page),
        });
      },
    },
    {
      page: 'cancelRequest',
      method: 'get',
      access: cancellers,
      async handle(req, _res, page) {
        page.render(cancelView, { ...(await cancelPage(req, page)), values: {} });
      },
    },
    {
      page: 'cancelRequest',
      method: 'post',
      limit: { name: 'cancel-request', limit: 30, windowMs: 15 * 60 * 1000 },
      access: cancellers,
      async handle(req, res, page) {
        const form = parseForm(cancelForm, req, page, cancelView, await cancelPage(req, page));
        if (!form) return;
        const outcome = await cancelRequest(deps, page.user!, reference(req), form, page.lang);
        await afterStep(req, res, page, outcome, 'cancelled', {
          name: cancelView,
          field: 'cancellation',
          data: () => cancelPage(req, page),
        });
      },
    },
    {
      page: 'releaseFunds',
      method: 'post',
      limit: { name: 'release-funds', limit: 60, windowMs: 15 * 60 * 1000 },
      shows: 'request',
      access: releasers,
      async handle(req, res, page) {
        const form = parseForm(releaseForm, req, page, requestView, await requestPage(req, page));
        if (!form) return;
        const outcome = await releaseFunds(deps, page.user!, reference(req), form);
        const done = form.amountCents === null ? 'released' : 'partlyReleased';
        await afterStep(req, res, page, outcome, done, {
          name: requestView,
          field: 'actions',
          data: () => requestPage(req, page),
        });
      },
    },
  ];
}
