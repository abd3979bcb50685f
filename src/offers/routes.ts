import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { availableActions } from '../lifecycle/access.ts';
import { transitionMessages } from '../lifecycle/messages.ts';
import { inOneTransaction } from '../lifecycle/transition.ts';
import { contractMachine } from '../contracts/machine.ts';
import type { AppDeps } from '../platform/deps.ts';
import { formatDeadline } from '../platform/dates.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber } from '../platform/forms.ts';
import { formatCount } from '../questions/public.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { paragraphsOf } from '../terms/present.ts';
import { currentTerms, acceptanceOf } from '../terms/repo.ts';
import { acceptOffer, declineOffer, type OfferRow } from './answers.ts';
import { acceptForm, declineForm, DECLINE_REASON_MAX } from './schemas.ts';

const view = 'offers/offer.njk';

export function offerRoutes(deps: AppDeps): RouteDef[] {
  /** The offer, to its own supplier only: anyone else gets the same 404 as for no offer. */
  async function offerOf(req: Request, page: PageContext): Promise<OfferRow> {
    const id = positiveWholeNumber(req.params.id);
    const offer: OfferRow | undefined = id
      ? await deps.db('contracts').where({ id }).first()
      : undefined;
    if (!offer || Number(offer.supplier_id) !== page.user?.id) throw new HttpError(404);
    return offer;
  }

  async function pageData(offer: OfferRow, page: PageContext) {
    const { lang } = page;
    const opportunity = await deps.db('opportunities').where({ id: offer.opportunity_id }).first();
    const terms = await currentTerms(deps.db);
    const accepted = await acceptanceOf(deps.db, offer.id);
    const actions = availableActions(contractMachine, offer, page.user ?? null);
    const open =
      offer.status === 'offered' &&
      (offer.respond_by === null || offer.respond_by.getTime() > deps.clock.now().getTime());
    return {
      id: offer.id,
      status: offer.status,
      reference: opportunity.reference,
      title: opportunity[`title_${lang}`],
      publicHref: page.url('opportunity', { ref: opportunity.reference }),
      respondBy: offer.respond_by ? formatDeadline(offer.respond_by, lang) : '',
      canAnswer: open && actions.includes('accept_terms'),
      terms: {
        id: terms.id,
        number: terms.number,
        paragraphs: paragraphsOf(terms[`body_${lang}`]),
      },
      accepted: accepted && {
        number: accepted.number,
        at: formatDeadline(accepted.accepted_at, lang),
        language: page.t(`terms.languages.${accepted.language}`),
      },
      reasonMax: formatCount(DECLINE_REASON_MAX, lang),
      values: { version: String(offer.version) },
    };
  }

  /**
   * The supplier's answer to their offer: the form back with what was typed on bad input or a
   * refusal, else the offer's page again.
   */
  async function answer<S extends z.ZodType>(
    req: Request,
    res: Response,
    page: PageContext,
    schema: S,
    act: (trx: Knex.Transaction, offer: OfferRow, form: z.infer<S>) => Promise<unknown>,
  ): Promise<void> {
    const offer = await offerOf(req, page);
    const form = parseForm(schema, req, page, view, await pageData(offer, page));
    if (!form) return;
    const outcome = await inOneTransaction(deps.db, (trx) => act(trx, offer, form));
    if (!outcome.ok) {
      const fresh = await pageData(await offerOf(req, page), page);
      const errors = transitionMessages(outcome.failure, page.t).map((message) => ({
        field: 'offer-error',
        message,
      }));
      return page.render(view, { ...fresh, values: keepValues(req.body), errors }, 409);
    }
    res.redirect(303, page.url('offer', { id: offer.id }));
  }

  const limit = { limit: 20, windowMs: 15 * 60 * 1000 };
  return [
    {
      page: 'offer',
      method: 'get',
      access: 'supplier',
      async handle(req, _res, page) {
        page.render(view, await pageData(await offerOf(req, page), page));
      },
    },
    {
      page: 'acceptOffer',
      shows: 'offer',
      method: 'post',
      limit: { name: 'acceptOffer', ...limit },
      access: 'supplier',
      handle: (req, res, page) =>
        answer(req, res, page, acceptForm, (trx, offer, form) =>
          acceptOffer(trx, page.user!, {
            contractId: offer.id,
            version: form.version,
            termsVersionId: form.terms,
            language: page.lang,
            now: deps.clock.now(),
          }),
        ),
    },
    {
      page: 'declineOffer',
      shows: 'offer',
      method: 'post',
      limit: { name: 'declineOffer', ...limit },
      access: 'supplier',
      handle: (req, res, page) =>
        answer(req, res, page, declineForm, (trx, offer, form) =>
          declineOffer(trx, page.user!, {
            contractId: offer.id,
            version: form.version,
            reason: form.reason,
            reasonLang: page.lang,
            now: deps.clock.now(),
          }),
        ),
    },
  ];
}
