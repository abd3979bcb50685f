import type { Request } from 'express';
import { transitionMessages } from '../lifecycle/messages.ts';
import type { TransitionFailure } from '../lifecycle/transition.ts';
import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, type FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { presentOverride } from './override-present.ts';
import { overrideParam, proposeOverrideForm } from './override-schemas.ts';
import {
  confirmStepOverride,
  overrideRecord,
  type OverrideRecord,
  proposeSection32Override,
} from './override-service.ts';
import { section32PageData, section32View } from './section32-page.ts';
import { readsRequest, type Refusal } from './service.ts';

const section32Managers: Access = { roles: ['section32_manager'], department: 'opportunity' };
/** The department's staff may read an override of its request; the lifecycle says who confirms. */
const departmentStaff: Access = {
  roles: ['client', 'program_officer', 'section32_manager', 'section34_manager', 'finance_officer'],
  department: 'opportunity',
};

/**
 * Who reads an override: whoever reads the request, and a section 34 manager of the department
 * the override of a certification (theirs to confirm), but no other (403: they are staff there).
 */
function readsOverride(user: CurrentUser | undefined, record: OverrideRecord): boolean {
  if (readsRequest(user, record.row)) return true;
  if (!hasRole(user, ['section34_manager'], record.row.department_id)) return false;
  if (record.override.entityType === 'invoice') return true;
  throw new HttpError(403);
}

/** Reasons are typed by people: a few a minute is plenty, and a flood is refused. */
const QUARTER_HOUR = 15 * 60 * 1000;
const overrideView = 'review/override.njk';

const reference = (req: Request) => String(req.params.ref);

const failureOf = (refusal: Refusal): TransitionFailure | undefined =>
  refusal.kind === 'transition' ? refusal.failure : undefined;

/** A reason too short or missing is the reason field's error; any other refusal is the step's. */
function proposalErrors(refusal: Refusal, t: Translate): { errors: FieldError[]; status: number } {
  const failure = failureOf(refusal);
  if (failure?.kind === 'segregation' && failure.refusal?.startsWith('reason_')) {
    const message = t(`segregation.override.${failure.refusal}`);
    return { errors: [{ field: 'overrideReason', message }], status: 400 };
  }
  const messages = failure ? transitionMessages(failure, t) : [];
  return { errors: messages.map((message) => ({ field: 'approval', message })), status: 409 };
}

export function overrideRoutes(deps: AppDeps): RouteDef[] {
  async function overridePage(req: Request, page: PageContext) {
    const id = overrideParam.safeParse(req.params.override);
    if (!id.success) throw new HttpError(404);
    const record = await overrideRecord(deps.db, reference(req), id.data, page.user!);
    // Another client's request stays unseen here too (review M6).
    if (!record || !readsOverride(page.user, record)) throw new HttpError(404);
    return { id: id.data, override: presentOverride(record, page.lang, page.t) };
  }

  return [
    {
      page: 'proposeOverride',
      method: 'post',
      shows: 'approveFunds',
      access: section32Managers,
      limit: { name: 'propose-override', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const data = () => section32PageData(deps, reference(req), page);
        const form = parseForm(proposeOverrideForm, req, page, section32View, await data());
        if (!form) return;
        const outcome = await proposeSection32Override(
          deps,
          page.user!,
          reference(req),
          form,
          page.lang,
        );
        if (outcome.ok) {
          return res.redirect(303, `${page.url('approveFunds', { ref: reference(req) })}#approval`);
        }
        const { errors, status } = proposalErrors(outcome.refusal, page.t);
        page.render(
          section32View,
          { ...(await data()), values: keepValues(req.body), errors },
          status,
        );
      },
    },
    {
      page: 'confirmOverride',
      method: 'get',
      access: departmentStaff,
      async handle(req, _res, page) {
        page.render(overrideView, { ...(await overridePage(req, page)), values: {} });
      },
    },
    {
      page: 'confirmOverride',
      method: 'post',
      access: departmentStaff,
      limit: { name: 'confirm-override', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const { id } = await overridePage(req, page);
        const outcome = await confirmStepOverride(deps, page.user!, reference(req), id);
        if (outcome.ok) {
          return res.redirect(
            303,
            page.url('confirmOverride', { ref: reference(req), override: id }),
          );
        }
        const failure = failureOf(outcome.refusal);
        // Without the step's role there is nothing to confirm: their page said so, no button.
        if (failure?.kind === 'forbidden') throw new HttpError(403);
        const shown = await overridePage(req, page);
        // Confirmed, used or replaced meanwhile: the page says which, the summary says so.
        const messages =
          shown.override.state !== 'awaiting'
            ? [page.t('review.overrides.confirm.notAwaiting')]
            : failure
              ? transitionMessages(failure, page.t)
              : [];
        page.render(
          overrideView,
          {
            ...shown,
            values: {},
            errors: messages.map((message) => ({ field: 'confirmation', message })),
          },
          409,
        );
      },
    },
  ];
}
