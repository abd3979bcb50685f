import type { Request, Response } from 'express';
import { invoiceMachine } from '../invoices/machine.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import type { StepOutcome, TransitionFailure } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, type FieldError } from '../platform/forms.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { overridesToConfirm } from '../review/override-service.ts';
import { presentOverrideQueue } from '../review/override-present.ts';
import { evidenceFor } from './evidence.ts';
import { fundsToRelease, presentFundsToRelease, releaseWhatIsLeft } from './funds-to-release.ts';
import { presentEvidence, presentQueue } from './present.ts';
import { submittedInvoices } from './repo.ts';
import { certifyForm, overrideForm, releaseForm, returnForm } from './schemas.ts';
import {
  certificationStanding,
  certifyInvoice,
  proposeCertificationOverride,
  returnInvoice,
} from './service.ts';

/** Section 34 managers; the evidence pages only in the department of the opportunity. */
const section34Managers: Access = { roles: ['section34_manager'] };
const section34OfFile: Access = { roles: ['section34_manager'], department: 'opportunity' };
const finance: Access = { roles: ['section32_manager', 'finance_officer'] };
const financeOfFile: Access = {
  roles: ['section32_manager', 'finance_officer'],
  department: 'opportunity',
};
const fundsView = 'certification/funds-to-release.njk';

const evidenceView = 'certification/evidence.njk';
/** Certifying is one click by a few people: a flood is refused. */
const QUARTER_HOUR = 15 * 60 * 1000;

const reference = (req: Request) => String(req.params.ref);

const departmentsWhere = (user: CurrentUser, role: string) =>
  user.grants.flatMap((g) => (g.role === role && g.departmentId !== null ? [g.departmentId] : []));

/** A refusal in the page's language; the wrong state names the invoice's. */
function refusalMessages(failure: TransitionFailure, t: Translate): string[] {
  if (failure.kind === 'wrong_state') {
    return [
      t('certification.refusals.wrongState', {
        status: t(`lifecycle.states.invoice.${failure.status}`),
      }),
    ];
  }
  return transitionMessages(failure, t);
}

export function certificationRoutes(deps: AppDeps): RouteDef[] {
  async function evidencePage(req: Request, page: PageContext) {
    const evidence = await evidenceFor(deps.db, reference(req));
    if (!evidence) throw new HttpError(404);
    const standing = await certificationStanding(deps, evidence.invoice, page.user!);
    return { evidence: presentEvidence(evidence, standing, page.user!, page.lang, page.t) };
  }

  /** After a step: the evidence page again, with a notice or with the refusal in its place. */
  async function afterStep(
    req: Request,
    res: Response,
    page: PageContext,
    outcome: StepOutcome<unknown>,
    field: string,
    done: string,
  ) {
    if (outcome.ok) {
      return res.redirect(
        303,
        `${page.url('certificationEvidence', { ref: reference(req) })}?done=${done}`,
      );
    }
    const { failure } = outcome;
    if (failure.kind === 'not_found') throw new HttpError(404);
    // A reason too short or missing for an override is that field's error.
    const reasonRefusal =
      failure.kind === 'segregation' && failure.refusal?.startsWith('reason_')
        ? failure.refusal
        : undefined;
    const errors: FieldError[] = reasonRefusal
      ? [{ field, message: page.t(`segregation.override.${reasonRefusal}`) }]
      : refusalMessages(failure, page.t).map((message) => ({ field, message }));
    page.render(
      evidenceView,
      { ...(await evidencePage(req, page)), values: keepValues(req.body), errors },
      reasonRefusal ? 400 : 409,
    );
  }

  const formData = (req: Request, page: PageContext) => evidencePage(req, page);

  /** The funds still held in the departments where the person holds a finance role. */
  async function fundsPage(page: PageContext) {
    const departmentIds = [
      ...new Set([
        ...departmentsWhere(page.user!, 'section32_manager'),
        ...departmentsWhere(page.user!, 'finance_officer'),
      ]),
    ];
    const rows = await fundsToRelease(deps.db, departmentIds);
    return { funds: presentFundsToRelease(rows, page.lang, page.t) };
  }

  return [
    {
      page: 'certificationQueue',
      method: 'get',
      access: section34Managers,
      async handle(_req, _res, page) {
        const departmentIds = departmentsWhere(page.user!, 'section34_manager');
        const [rows, overrides] = await Promise.all([
          submittedInvoices(deps.db, departmentIds),
          overridesToConfirm(deps.db, page.user!),
        ]);
        page.render('certification/queue.njk', {
          invoices: presentQueue(rows, deps.clock.now(), page.lang, page.t),
          overrides: presentOverrideQueue(
            overrides.filter((o) => o.machine.entity === invoiceMachine.entity),
            page.lang,
            page.t,
          ),
        });
      },
    },
    {
      page: 'certificationEvidence',
      method: 'get',
      access: section34OfFile,
      async handle(req, _res, page) {
        const done = typeof req.query.done === 'string' ? req.query.done : '';
        page.render(evidenceView, {
          ...(await evidencePage(req, page)),
          done: ['certified', 'returned', 'overrideProposed'].includes(done) ? done : '',
          values: {},
          errors: [],
        });
      },
    },
    {
      page: 'certifyInvoice',
      method: 'post',
      shows: 'certificationEvidence',
      access: section34OfFile,
      limit: { name: 'certify-invoice', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const form = parseForm(certifyForm, req, page, evidenceView, await formData(req, page));
        if (!form) return;
        const outcome = await certifyInvoice(deps, page.user!, reference(req), form, page);
        await afterStep(req, res, page, outcome, 'attest', 'certified');
      },
    },
    {
      page: 'returnInvoice',
      method: 'post',
      shows: 'certificationEvidence',
      access: section34OfFile,
      limit: { name: 'return-invoice', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const form = parseForm(returnForm, req, page, evidenceView, await formData(req, page));
        if (!form) return;
        const outcome = await returnInvoice(deps, page.user!, reference(req), form, page.lang);
        await afterStep(req, res, page, outcome, 'reason', 'returned');
      },
    },
    {
      page: 'certificationOverride',
      method: 'post',
      shows: 'certificationEvidence',
      access: section34OfFile,
      limit: { name: 'certification-override', limit: 30, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const form = parseForm(overrideForm, req, page, evidenceView, await formData(req, page));
        if (!form) return;
        const outcome = await proposeCertificationOverride(
          deps,
          page.user!,
          reference(req),
          form,
          page.lang,
        );
        await afterStep(req, res, page, outcome, 'overrideReason', 'overrideProposed');
      },
    },
    {
      page: 'fundsToRelease',
      method: 'get',
      access: finance,
      async handle(req, _res, page) {
        const done = req.query.done === 'released' ? 'released' : '';
        page.render(fundsView, { ...(await fundsPage(page)), done, errors: [] });
      },
    },
    {
      page: 'releaseHeldFunds',
      method: 'post',
      shows: 'fundsToRelease',
      access: financeOfFile,
      limit: { name: 'release-held-funds', limit: 60, windowMs: QUARTER_HOUR },
      async handle(req, res, page) {
        const form = parseForm(releaseForm, req, page, fundsView, await fundsPage(page));
        if (!form) return;
        const outcome = await releaseWhatIsLeft(deps, page.user!, reference(req), form.left);
        if (outcome.ok) return res.redirect(303, `${page.url('fundsToRelease')}?done=released`);
        page.render(
          fundsView,
          {
            ...(await fundsPage(page)),
            errors: [{ field: `release-${reference(req)}`, message: page.t(outcome.key) }],
          },
          409,
        );
      },
    },
  ];
}
