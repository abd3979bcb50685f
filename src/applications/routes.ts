import type { Request } from 'express';
import { z } from 'zod';
import { referenceSchema } from '../opportunities/routes.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, type FieldError } from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { attestedLines } from './attestations.ts';
import { presentApplication, presentMine } from './present.ts';
import {
  answersOf,
  applicationsOf,
  attestationTextById,
  currentAttestationText,
  findOwnApplication,
  fingerprintOfApplication,
  mandatoryCriteriaOf,
} from './repo.ts';
import { answersOf as selfIdentificationOf } from '../self-identification/repo.ts';
import { actionForm } from './schemas.ts';
import { actOnApplication, paymentReadiness, startApplication, type Refusal } from './service.ts';

const idSchema = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);
const formView = 'applications/form.njk';
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const done = ['saved', 'reopened', 'withdrawn'] as const;

/** A refused step in words: the deadline's in the machine's own message (src/lifecycle/). */
const refusalMessage = (refusal: Refusal, page: PageContext) =>
  page.t(
    refusal === 'deadline'
      ? 'lifecycle.guards.application_deadline_passed'
      : `applications.refusals.${refusal}`,
  );

export function applicationRoutes(deps: AppDeps): RouteDef[] {
  /** The signed-in supplier's own application named by the URL; 404 for anyone else's. */
  async function ownApplication(req: Request, page: PageContext) {
    const id = idSchema.safeParse(req.params.id);
    const record = id.success
      ? await findOwnApplication(deps.db, id.data, page.user!.id)
      : undefined;
    if (!record) throw new HttpError(404);
    return record;
  }

  async function renderForm(
    req: Request,
    page: PageContext,
    posted?: { values: Record<string, string>; errors: FieldError[] },
    status = 200,
  ) {
    const record = await ownApplication(req, page);
    const [criteria, answers, wording, payment] = await Promise.all([
      mandatoryCriteriaOf(deps.db, record.opportunity_id),
      answersOf(deps.db, record.id),
      currentAttestationText(deps.db, page.lang),
      paymentReadiness(deps, record.supplier_id),
    ]);
    const noticeKey = done.find((d) => d === req.query.done);
    page.render(
      formView,
      {
        application: presentApplication(
          { record, criteria, answers, wording, payment, now: deps.clock.now() },
          page,
          posted,
        ),
        done: posted ? undefined : noticeKey,
      },
      status,
    );
  }

  return [
    {
      page: 'apply',
      method: 'post',
      shows: 'opportunity',
      access: 'supplier',
      limit: { name: 'apply', limit: 30, windowMs: FIFTEEN_MINUTES },
      async handle(req, res, page) {
        const reference = referenceSchema.safeParse(req.params.ref);
        if (!reference.success) throw new HttpError(404);
        const started = await startApplication(deps, page.user!, reference.data, page.lang);
        if (!started.ok) {
          if (started.refusal === 'notFound') throw new HttpError(404);
          page.render(
            'applications/refused.njk',
            {
              message: refusalMessage(started.refusal, page),
              back: page.url('opportunity', { ref: reference.data }),
            },
            409,
          );
          return;
        }
        res.redirect(303, page.url('application', { id: started.id }));
      },
    },
    {
      page: 'application',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        await renderForm(req, page);
      },
    },
    {
      page: 'application',
      method: 'post',
      access: 'supplier',
      // A burst of saves while writing is normal; the deadline burst is one submit each.
      limit: { name: 'application', limit: 120, windowMs: FIFTEEN_MINUTES },
      async handle(req, res, page) {
        const record = await ownApplication(req, page);
        const values = keepValues(req.body);
        const form = actionForm.safeParse(req.body ?? {});
        if (!form.success) {
          const message = page.t('applications.refusals.stale');
          return renderForm(req, page, { values, errors: [{ field: 'actions', message }] }, 400);
        }
        const acted = await actOnApplication(deps, page.user!, record, {
          action: form.data.action,
          version: form.data.version,
          body: (req.body ?? {}) as Record<string, unknown>,
          lang: page.lang,
          t: page.t,
        });
        if (acted.ok) {
          const action = acted.action;
          if (action === 'submit' || action === 'revise') {
            return res.redirect(303, page.url('applicationConfirmation', { id: record.id }));
          }
          const notice =
            action === 'save' ? 'saved' : action === 'reopen' ? 'reopened' : 'withdrawn';
          return res.redirect(303, `${page.url('application', { id: record.id })}?done=${notice}`);
        }
        if ('errors' in acted) return renderForm(req, page, { values, errors: acted.errors }, 400);
        if (acted.refusal === 'notFound') throw new HttpError(404);
        const message = refusalMessage(acted.refusal, page);
        return renderForm(req, page, { values, errors: [{ field: 'actions', message }] }, 409);
      },
    },
    {
      page: 'applicationConfirmation',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        const record = await ownApplication(req, page);
        if (record.submitted_at === null) throw new HttpError(404);
        const [criteria, answers, fingerprint, selfIdentified] = await Promise.all([
          mandatoryCriteriaOf(deps.db, record.opportunity_id),
          answersOf(deps.db, record.id),
          fingerprintOfApplication(deps.db, record.id),
          selfIdentificationOf(deps.db, record.id),
        ]);
        const wording = record.attestation_text_id
          ? await attestationTextById(deps.db, record.attestation_text_id)
          : undefined;
        const { lang } = page;
        page.render('applications/confirmation.njk', {
          application: {
            id: record.id,
            status: record.status,
            statusLabel: page.t(`lifecycle.states.application.${record.status}`),
            reference: record.reference,
            title: lang === 'fr' ? record.title_fr : record.title_en,
            opportunityHref: page.url('opportunity', { ref: record.reference }),
            href: page.url('application', { id: record.id }),
            submitted: formatDeadline(record.submitted_at, lang),
            closes: record.closes_at ? formatDeadline(record.closes_at, lang) : '',
            submittedIso: record.submitted_at.toISOString(),
            answers: criteria.map((c, index) => {
              const a = answers.find((x) => x.mandatory_criterion_id === c.id);
              return {
                number: index + 1,
                criterion: lang === 'fr' ? c.text_fr : c.text_en,
                answer: (a?.answer ?? '').split('\n'),
                links: a?.links ?? [],
              };
            }),
            attestedLanguage: wording?.language ?? lang,
            attested: wording ? attestedLines(wording, record.attestations) : [],
            payment: { card: record.pays_by_card, paypal: record.pays_by_paypal },
            fingerprint,
            selfIdentified: selfIdentified !== undefined,
            drawHref: page.url('drawResults', { ref: record.reference }),
          },
        });
      },
    },
    {
      page: 'myApplications',
      method: 'get',
      access: 'supplier',
      async handle(_req, _res, page) {
        const rows = await applicationsOf(deps.db, page.user!.id, page.lang);
        page.render('applications/mine.njk', {
          applications: presentMine(rows, page.lang, page.t, deps.clock.now()),
        });
      },
    },
  ];
}
