import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { transitionMessages } from '../lifecycle/messages.ts';
import { inOneTransaction } from '../lifecycle/transition.ts';
import type { AppDeps } from '../platform/deps.ts';
import { HttpError } from '../platform/errors.ts';
import { keepValues, parseForm, positiveWholeNumber } from '../platform/forms.ts';
import type { PageContext, RouteDef } from '../platform/router.ts';
import { acceptanceOf } from '../terms/repo.ts';
import { ContractRefused, viewerOf } from './access.ts';
import { checkIn } from './check-in.ts';
import { postMessage } from './messages.ts';
import { extendDueDate, terminateForNonDelivery } from './non-delivery.ts';
import { presentContract } from './present.ts';
import {
  acceptanceCriteriaOf,
  contractStepsOf,
  findContract,
  messagesOf,
  opportunityOf,
  timelineOf,
} from './repo.ts';
import { checkInForm, extensionForm, messageForm, terminationForm } from './schemas.ts';

const view = 'contracts/contract.njk';

export function contractRoutes(deps: AppDeps): RouteDef[] {
  const { db } = deps;

  /** The contract and who reads it; anyone it is not shown to gets the same 404 as for none. */
  async function contractFor(req: Request, page: PageContext) {
    const id = positiveWholeNumber(req.params.id);
    const contract = id ? await findContract(db, id) : undefined;
    const opportunity = contract && (await opportunityOf(db, contract.opportunity_id));
    const viewer = contract && viewerOf(contract, opportunity!, page.user);
    if (!contract || !viewer) throw new HttpError(404);
    return { contract, opportunity: opportunity!, viewer };
  }

  async function pageData(req: Request, page: PageContext) {
    const { contract, opportunity, viewer } = await contractFor(req, page);
    const [acceptance, criteria, messages, checkIns, timeline, next] = await Promise.all([
      acceptanceOf(db, contract.id),
      acceptanceCriteriaOf(db, opportunity.id),
      messagesOf(db, contract.id),
      contractStepsOf(db, contract.id, ['check_in']),
      timelineOf(db, contract.id),
      db('contracts')
        .where({ opportunity_id: opportunity.id })
        .where('id', '>', contract.id)
        .first('id'),
    ]);
    return presentContract(
      {
        contract,
        opportunity,
        viewer,
        user: page.user!,
        acceptance,
        criteria,
        messages,
        checkIns,
        timeline,
        nextOffered: Boolean(next),
        now: deps.clock.now(),
      },
      page,
    );
  }

  /**
   * One form of the page: on bad input or a refusal the page comes back with what was typed and
   * the message in its language, else the page again at the section the form belongs to.
   */
  async function submit<S extends z.ZodType>(
    req: Request,
    res: Response,
    page: PageContext,
    form: { schema: S; anchor: string; errorField: string },
    act: (trx: Knex.Transaction, id: number, input: z.infer<S>) => Promise<unknown>,
  ): Promise<void> {
    const data = await pageData(req, page);
    // What was typed, on the contract as it is now: a refused step can be taken again.
    const typedOn = (fresh: typeof data) => ({ ...keepValues(req.body), ...fresh.values });
    const input = parseForm(form.schema, req, page, view, data);
    if (!input) return;
    let outcome;
    try {
      outcome = await inOneTransaction(db, (trx) => act(trx, data.id, input));
    } catch (error) {
      if (!(error instanceof ContractRefused)) throw error;
      const errors = [{ field: error.field, message: page.t(error.key, error.values) }];
      return page.render(view, { ...data, values: typedOn(data), errors }, 409);
    }
    if (!outcome.ok) {
      if (outcome.failure.kind === 'not_found') throw new HttpError(404);
      const errors = transitionMessages(outcome.failure, page.t).map((message) => ({
        field: form.errorField,
        message,
      }));
      const fresh = await pageData(req, page);
      return page.render(view, { ...fresh, values: typedOn(fresh), errors }, 409);
    }
    res.redirect(303, `${page.url('contract', { id: data.id })}#${form.anchor}`);
  }

  const limit = (name: string, perWindow = 30) => ({
    name,
    limit: perWindow,
    windowMs: 15 * 60 * 1000,
  });
  return [
    {
      page: 'contract',
      method: 'get',
      access: 'signedIn',
      async handle(req, _res, page) {
        page.render(view, await pageData(req, page));
      },
    },
    {
      page: 'contractMessages',
      shows: 'contract',
      method: 'post',
      limit: limit('contractMessage'),
      access: 'signedIn',
      handle: (req, res, page) =>
        submit(
          req,
          res,
          page,
          { schema: messageForm, anchor: 'messages', errorField: 'body' },
          (trx, id, input) =>
            postMessage(trx, page.user!, {
              contractId: id,
              body: input.body,
              lang: page.lang,
              now: deps.clock.now(),
            }),
        ),
    },
    {
      page: 'contractCheckIn',
      shows: 'contract',
      method: 'post',
      limit: limit('contractCheckIn', 10),
      access: 'supplier',
      handle: (req, res, page) =>
        submit(
          req,
          res,
          page,
          { schema: checkInForm, anchor: 'check-in', errorField: 'answer' },
          (trx, id, input) =>
            checkIn(trx, page.user!, {
              contractId: id,
              answer: input.answer,
              note: input.note,
              lang: page.lang,
              now: deps.clock.now(),
            }),
        ),
    },
    {
      page: 'contractExtension',
      shows: 'contract',
      method: 'post',
      limit: limit('contractExtension', 10),
      access: 'signedIn',
      handle: (req, res, page) =>
        submit(
          req,
          res,
          page,
          { schema: extensionForm, anchor: 'non-delivery', errorField: 'dueOn' },
          (trx, id, input) =>
            extendDueDate(trx, page.user!, {
              contractId: id,
              dueOn: input.dueOn,
              reason: input.extensionReason,
              lang: page.lang,
              now: deps.clock.now(),
            }),
        ),
    },
    {
      page: 'contractTermination',
      shows: 'contract',
      method: 'post',
      limit: limit('contractTermination', 10),
      access: 'signedIn',
      handle: (req, res, page) =>
        submit(
          req,
          res,
          page,
          { schema: terminationForm, anchor: 'non-delivery', errorField: 'terminationReason' },
          (trx, id, input) =>
            terminateForNonDelivery(trx, page.user!, {
              contractId: id,
              version: input.version,
              reason: input.terminationReason,
              then: input.then,
              lang: page.lang,
              now: deps.clock.now(),
            }),
        ),
    },
  ];
}
