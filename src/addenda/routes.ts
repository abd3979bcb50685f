import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { referenceSchema } from '../opportunities/routes.ts';
import { formatCalendarDate, formatDeadline } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber, type FieldError } from '../platform/forms.ts';
import type { Access, PageContext, RouteDef } from '../platform/router.ts';
import { criteriaOf, findRequest } from '../requests/repo.ts';
import { nextAddendumNumber } from './repo.ts';
import { formatCount } from '../questions/public.ts';
import {
  ADDENDUM_SUMMARY_MAX,
  addendumFormFor,
  changeableTexts,
  criterionField,
  type CriterionRef,
} from './schemas.ts';
import { isAmendable, publishAddendum, type AddendumRefusal } from './service.ts';

const programOfficer: Access = { roles: ['program_officer'], department: 'opportunity' };

/** Which field a refusal is about, and what the person reads. */
function refusalError(refusal: AddendumRefusal, page: PageContext): FieldError {
  switch (refusal.code) {
    case 'notLater':
      return {
        field: 'closes_on',
        message: page.t('addenda.errors.notLater', {
          current: formatDeadline(refusal.current, page.lang),
        }),
      };
    case 'afterDelivery':
      return {
        field: 'closes_on',
        message: page.t('addenda.errors.afterDelivery', {
          delivery: formatCalendarDate(refusal.deliveryDueOn, page.lang),
        }),
      };
    case 'past':
      return { field: 'closes_on', message: page.t('addenda.errors.past') };
    case 'stale':
      return { field: 'form', message: page.t('lifecycle.failures.stale') };
    case 'nothingChanged':
      return { field: 'form', message: page.t('addenda.errors.nothingChanged') };
    default:
      return { field: 'form', message: page.t('addenda.errors.notOpen') };
  }
}

export function addendumRoutes(deps: AppDeps): RouteDef[] {
  const view = 'addenda/form.njk';

  async function opportunityOf(req: Request) {
    const reference = referenceSchema.safeParse(req.params.ref);
    const found = reference.success ? await findRequest(deps.db, reference.data) : undefined;
    if (!found) throw new HttpError(404);
    return found;
  }

  /** The page as the opportunity is now; `values` are what was typed, else its current texts. */
  async function pageData(req: Request, page: PageContext) {
    const o = await opportunityOf(req);
    const { lang } = page;
    const current = Object.fromEntries(changeableTexts.map((c) => [c, String(o[c] ?? '')]));
    const { acceptance, mandatory } = await criteriaOf(deps.db, o.id);
    // Work acceptance criteria first, as on the public page; each under its stable id.
    const criteria = [
      ...acceptance.map((c) => ({ kind: 'acceptance' as const, ...c })),
      ...mandatory.map((c) => ({ kind: 'mandatory' as const, ...c })),
    ];
    const criterionValues = Object.fromEntries(
      criteria.flatMap((c) =>
        (['en', 'fr'] as const).map((l) => [criterionField(c, l), c[`text_${l}`]]),
      ),
    );
    const published = positiveWholeNumber(req.query.published);
    return {
      o,
      criteria: criteria.map((c): CriterionRef => ({ kind: c.kind, id: c.id })),
      data: {
        reference: o.reference,
        title: String(o[`title_${lang}`] ?? ''),
        publicHref: page.url('opportunity', { ref: o.reference }),
        open: isAmendable(o, deps.clock.now()),
        number: await nextAddendumNumber(deps.db, o.id),
        closes: o.closes_at ? formatDeadline(o.closes_at, lang) : '',
        delivery: o.delivery_due_on ? formatCalendarDate(o.delivery_due_on, lang) : '',
        addendumMax: formatCount(ADDENDUM_SUMMARY_MAX, lang),
        published,
        criteria: criteria.map((c) => ({
          legend: page.t(`addenda.form.${c.kind}Legend`, { position: c.position }),
          en: criterionField(c, 'en'),
          fr: criterionField(c, 'fr'),
        })),
        values: { ...current, ...criterionValues, version: String(o.version) },
      },
    };
  }

  return [
    {
      page: 'addendum',
      method: 'get',
      access: programOfficer,
      async handle(req, _res, page) {
        const { data } = await pageData(req, page);
        page.render(view, data);
      },
    },
    {
      page: 'addendum',
      method: 'post',
      limit: { name: 'addendum', limit: 30, windowMs: 15 * 60 * 1000 },
      access: programOfficer,
      async handle(req, res, page) {
        const { o, criteria, data } = await pageData(req, page);
        const typed = { ...data, published: undefined };
        const form = parseForm(addendumFormFor(criteria), req, page, view, typed);
        if (!form) return;
        const outcome = await publishAddendum(deps, page.user!, o.id, form);
        if (!outcome.ok) {
          const error = refusalError(outcome.refusal, page);
          const conflict = ['stale', 'notOpen', 'notFound'].includes(outcome.refusal.code);
          // The refusal is about the opportunity as it is now: show that, with what was typed.
          const fresh = (await pageData(req, page)).data;
          return page.render(
            view,
            { ...fresh, published: undefined, values: keepValues(req.body), errors: [error] },
            conflict ? 409 : 400,
          );
        }
        const href = page.url('addendum', { ref: o.reference });
        res.redirect(303, `${href}?published=${outcome.number}`);
      },
    },
  ];
}
