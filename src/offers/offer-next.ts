import type { Knex } from 'knex';
import { contractMachine } from '../contracts/machine.ts';
import { recordOpportunityEvent } from '../lifecycle/events.ts';
import { create } from '../lifecycle/transition.ts';
import { addJob } from '../platform/jobs.ts';
import { deadlineIn, linkTo, sendAbout, staffOf, supplierOf } from './emails.ts';
import { drawOrder } from './results.ts';
import { respondBy } from './window.ts';

/** Offered or under way: at most one per opportunity (a unique index says so too). */
const liveContractStatuses = ['offered', 'in_progress', 'delivered', 'accepted'];

export const LAPSE_OFFER = 'lapse-offer';
const lapseJobKey = (contractId: number) => `${LAPSE_OFFER}:${contractId}`;

export type OfferStep =
  | { kind: 'offered'; contractId: number; position: number }
  | { kind: 'live'; contractId: number }
  | { kind: 'exhausted' }
  | { kind: 'notDrawn'; status: string };

/**
 * Offers the contract to the first in the draw order who has not been offered it yet, by the
 * system: a contract in `offered` with its time to answer, the job that lapses it then, and the
 * "selected" email with the link to the terms. Safe to call again: while an offer is live it
 * does nothing. When everyone in the order has been offered it, the requester and the program
 * team are told, once: they cancel (finance is asked to release the funds) or re-post.
 */
export async function offerNext(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
  /**
   * After a termination the caller ends the opportunity itself when no one is left (and asks
   * finance for the funds): the "cancel or re-post" email would then be wrong.
   */
  options: { tellWhenExhausted?: boolean } = {},
): Promise<OfferStep> {
  const opportunity = await trx('opportunities').where({ id: opportunityId }).forUpdate().first();
  if (!opportunity || opportunity.status !== 'drawn') {
    return { kind: 'notDrawn', status: opportunity?.status ?? 'missing' };
  }
  const contracts: { id: string; application_id: string; status: string }[] = await trx('contracts')
    .where({ opportunity_id: opportunityId })
    .select('id', 'application_id', 'status');
  const live = contracts.find((c) => liveContractStatuses.includes(c.status));
  if (live) return { kind: 'live', contractId: Number(live.id) };

  const offered = new Set(contracts.map((c) => Number(c.application_id)));
  for (const next of await drawOrder(trx, opportunityId)) {
    if (offered.has(next.applicationId)) continue;
    const supplier = await supplierOf(trx, next.supplierId);
    // A supplier who closed their account cannot answer: the next one is offered instead.
    if (!supplier) continue;
    const by = respondBy(now);
    const { id } = await create(trx, contractMachine, {
      values: {
        opportunity_id: opportunityId,
        department_id: opportunity.department_id,
        application_id: next.applicationId,
        supplier_id: next.supplierId,
        draw_position: next.position,
        respond_by: by,
      },
      actor: null,
      now,
      action: 'offer',
      payload: { drawPosition: next.position, respondBy: by.toISOString() },
    });
    await addJob(trx, {
      task: LAPSE_OFFER,
      payload: { contractId: id },
      runAt: by,
      key: lapseJobKey(id),
    });
    await sendAbout(trx, now, {
      template: 'offer-selected',
      opportunity,
      to: supplier,
      key: id,
      data: {
        position: next.position,
        respondBy: deadlineIn(by),
        link: linkTo('offer', { id }),
      },
    });
    return { kind: 'offered', contractId: id, position: next.position };
  }

  if (options.tellWhenExhausted === false) return { kind: 'exhausted' };
  const told = await trx('events')
    .where({ entity_type: 'opportunity', entity_id: opportunityId, action: 'offers_exhausted' })
    .first('id');
  if (!told) {
    const eventId = await recordOpportunityEvent(trx, {
      opportunityId,
      action: 'offers_exhausted',
      actorId: null,
      at: now,
      payload: { offered: contracts.length },
    });
    for (const to of await staffOf(trx, opportunity)) {
      await sendAbout(trx, now, {
        template: 'offer-exhausted',
        opportunity,
        to,
        key: eventId,
        data: {
          offered: contracts.length,
          link: linkTo('request', { ref: opportunity.reference }),
        },
      });
    }
  }
  return { kind: 'exhausted' };
}
