import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import type { OpportunityRow } from '../opportunities/row.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { publicStatuses, type OpportunityStatus } from '../opportunities/states.ts';
import type { TransitionFailure } from '../lifecycle/transition.ts';
import { presentDetail } from '../opportunities/present.ts';
import { findPublicOpportunity } from '../opportunities/repo.ts';
import { textIn } from '../requests/texts.ts';
import { hasRole } from '../platform/auth.ts';
import { defaultClosingInstant } from '../platform/business-days.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, type FieldError } from '../platform/forms.ts';
import { otherLang, type Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { findRequest } from '../requests/repo.ts';
import { previewTokenOf } from './preview-link.ts';
import { findPreviewTarget, fundReservationOf, type PreviewTarget } from './repo.ts';
import { approvalForm, previewToken, publishForm } from './schemas.ts';
import { approvePreview, isPreviewable, publishOpportunity } from './service.ts';
import { defaultWindow, publicationWindow } from './window.ts';

const programOfficer: Access = { roles: ['program_officer'], department: 'opportunity' };
const departmentClient: Access = { roles: ['client'], department: 'opportunity' };
const previewView = 'publishing/preview.njk';
const unavailableView = 'publishing/preview-unavailable.njk';
const publishView = 'publishing/publish.njk';

const refusalErrors = (failure: TransitionFailure, t: Translate, field: string): FieldError[] =>
  transitionMessages(failure, t).map((message) => ({ field, message }));

/** Published at some point: the preview has served its purpose, the public page replaces it. */
const wasPublished = (o: { status: string; opens_at?: unknown }) =>
  Boolean(o.opens_at) && publicStatuses.includes(o.status as OpportunityStatus);

export function publishingRoutes(deps: AppDeps): RouteDef[] {
  async function requestOf(req: Request): Promise<OpportunityRow> {
    // The access check found the department by this reference: it exists.
    const opportunity = await findRequest(deps.db, String(req.params.ref));
    if (!opportunity) throw new HttpError(404);
    return opportunity;
  }

  /**
   * The public page as it will be once published, marked as a preview. Until the program
   * officer sets the window it shows an opening today and the default closing.
   */
  async function renderPreview(
    page: PageContext,
    target: Pick<PreviewTarget, 'reference' | 'version' | 'department_id' | 'requester_id'>,
    token: string,
    extra: { errors?: FieldError[]; done?: boolean } = {},
    status = 200,
  ) {
    const found = await findPublicOpportunity(
      deps.db,
      target.reference,
      page.lang,
      deps.clock.now(),
      'preview',
    );
    if (!found) return page.render(unavailableView, { reason: 'notFound' }, 404);
    const now = deps.clock.now();
    const opensAt = found.opensAt ?? now;
    const shown = {
      ...found,
      status: 'published' as const,
      opensAt,
      closesAt: found.closesAt ?? defaultClosingInstant(opensAt),
    };
    const other = otherLang(page.lang);
    page.render(
      previewView,
      {
        opportunity: presentDetail(shown, page.lang, page.t, now),
        preview: {
          reference: target.reference,
          version: target.version,
          approved: found.status === 'ready',
          // Only the requester approves (the transition's guard says the same to anyone else).
          canApprove:
            found.status === 'translated' &&
            hasRole(page.user, ['client'], target.department_id) &&
            (target.requester_id === null || target.requester_id === page.user?.id),
        },
        // The approval is posted to the request's address; the toggle stays on the preview.
        toggle: { lang: other, href: page.url('preview', { token }, other) },
        errors: extra.errors,
        done: extra.done,
      },
      status,
    );
  }

  async function publishPage(page: PageContext, opportunity: OpportunityRow) {
    const reservation = await fundReservationOf(deps.db, opportunity.id);
    const title = textIn(opportunity, 'title', page.lang);
    const token = previewTokenOf(deps.config.SESSION_SECRET, opportunity);
    return {
      request: {
        reference: opportunity.reference,
        title: title.text,
        titleLang: title.lang,
        statusLabel: page.t(`status.${opportunity.status}`),
        ready: opportunity.status === 'ready',
        published: wasPublished(opportunity),
        price:
          opportunity.price_cents === null ? '' : formatMoney(opportunity.price_cents, page.lang),
        maxTotal:
          opportunity.max_total_cents === null
            ? ''
            : formatMoney(opportunity.max_total_cents, page.lang),
        deliveryDue: opportunity.delivery_due_on
          ? formatCalendarDate(opportunity.delivery_due_on, page.lang)
          : '',
        reservation: reservation
          ? {
              number: reservation.reservation_number,
              amount: formatMoney(reservation.amount_cents, page.lang),
            }
          : undefined,
        previewHref:
          token && isPreviewable(opportunity.status) ? page.url('preview', { token }) : '',
      },
      version: opportunity.version,
    };
  }

  return [
    {
      page: 'preview',
      method: 'get',
      access: 'public',
      async handle(req, res, page) {
        const token = previewToken.safeParse(req.params.token);
        const target = token.success ? await findPreviewTarget(deps.db, token.data) : undefined;
        if (target && wasPublished(target)) {
          return res.redirect(303, page.url('opportunity', { ref: target.reference }));
        }
        if (!token.success || !target || !isPreviewable(target.status)) {
          return page.render(unavailableView, { reason: 'notFound' }, 404);
        }
        await renderPreview(page, target, token.data, { done: req.query.done === 'approved' });
      },
    },
    {
      page: 'approvePreview',
      method: 'post',
      limit: { name: 'approve-preview', limit: 30, windowMs: 15 * 60 * 1000 },
      shows: 'request',
      access: departmentClient,
      async handle(req, res, page) {
        const opportunity = await requestOf(req);
        const token = previewTokenOf(deps.config.SESSION_SECRET, opportunity);
        if (wasPublished(opportunity)) {
          return res.redirect(303, page.url('opportunity', { ref: opportunity.reference }));
        }
        if (!token || !isPreviewable(opportunity.status)) {
          return page.render(unavailableView, { reason: 'notReady' }, 409);
        }
        const form = approvalForm.safeParse(req.body ?? {});
        if (!form.success) {
          const errors = refusalErrors({ kind: 'stale' }, page.t, 'approve');
          return renderPreview(page, opportunity, token, { errors }, 400);
        }
        const outcome = await approvePreview(
          deps,
          page.user!,
          opportunity.reference,
          form.data.version,
        );
        if (outcome.ok) {
          return res.redirect(303, `${page.url('preview', { token })}?done=approved`);
        }
        const fresh = (await findPreviewTarget(deps.db, token)) ?? opportunity;
        const errors = refusalErrors(outcome.failure, page.t, 'approve');
        await renderPreview(page, fresh, token, { errors }, 409);
      },
    },
    {
      page: 'publish',
      method: 'get',
      access: programOfficer,
      async handle(req, _res, page) {
        const opportunity = await requestOf(req);
        page.render(publishView, {
          ...(await publishPage(page, opportunity)),
          values: defaultWindow(deps.clock.now()),
        });
      },
    },
    {
      page: 'publish',
      method: 'post',
      limit: { name: 'publish', limit: 30, windowMs: 15 * 60 * 1000 },
      access: programOfficer,
      async handle(req, res, page) {
        const opportunity = await requestOf(req);
        const data = await publishPage(page, opportunity);
        const values = keepValues(req.body);
        if (opportunity.status !== 'ready') {
          const errors = refusalErrors(
            { kind: 'wrong_state', status: opportunity.status },
            page.t,
            'publish-form',
          );
          return page.render(publishView, { ...data, values, errors }, 409);
        }
        const form = parseForm(publishForm, req, page, publishView, data);
        if (!form) return;
        const window = publicationWindow(form, deps.clock.now(), opportunity.delivery_due_on);
        if (!window.ok) {
          const errors = window.problems.map((problem) => ({
            field: problem.field,
            message: page.t(problem.key, {
              due: problem.values?.due ? formatCalendarDate(problem.values.due, page.lang) : '',
            }),
          }));
          return page.render(publishView, { ...data, values, errors }, 400);
        }
        const outcome = await publishOpportunity(
          deps,
          page.user!,
          opportunity.reference,
          form.version,
          window,
        );
        if (outcome.ok) {
          // Opening later: the public page does not exist yet, the request page says when.
          const later = window.opensAt.getTime() > deps.clock.now().getTime();
          return res.redirect(
            303,
            later
              ? `${page.url('request', { ref: opportunity.reference })}?done=scheduled`
              : page.url('opportunity', { ref: opportunity.reference }),
          );
        }
        const errors = refusalErrors(outcome.failure, page.t, 'publish-form');
        page.render(publishView, { ...data, values, errors }, 409);
      },
    },
  ];
}
