import type { Knex } from 'knex';
import { recordEvent } from '../lifecycle/events.ts';
import { notify } from '../lifecycle/notify.ts';
import { transition, TransitionError } from '../lifecycle/transition.ts';
import { offerNext, type OfferStep } from '../offers/offer-next.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { requestRelease } from '../review/repo.ts';
import { ContractRefused, isDepartmentSide, viewerOf } from './access.ts';
import { datesIn, tellAboutContract } from './emails.ts';
import { contractMachine } from './machine.ts';
import { acceptedAtOf, lockContract, opportunityOf, type ContractRecord } from './repo.ts';
import { scheduleContract } from './schedule.ts';

/** The contract, for the client who requested the work or a program officer; else not found. */
async function forTheDepartment(trx: Knex.Transaction, user: CurrentUser, contractId: number) {
  const contract = await lockContract(trx, contractId);
  const opportunity = contract && (await opportunityOf(trx, contract.opportunity_id));
  if (!contract || !isDepartmentSide(viewerOf(contract, opportunity!, user))) {
    throw new TransitionError({ kind: 'not_found' });
  }
  return { contract, opportunity: opportunity! };
}

/**
 * The client or a program officer grants more time, before or after the due date: a new date
 * later than the current one and a reason. The midpoint moves with it (halfway from the
 * acceptance); the event keeps both dates; the supplier is emailed.
 */
export async function extendDueDate(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: { contractId: number; dueOn: string; reason: string; lang: Lang; now: Date },
): Promise<void> {
  const { contract } = await forTheDepartment(trx, user, input.contractId);
  if (contract.status !== 'in_progress') {
    throw new ContractRefused('dueOn', 'contracts.errors.notInProgress');
  }
  if (contract.due_on && input.dueOn <= contract.due_on) {
    throw new ContractRefused('dueOn', 'contracts.errors.notLater');
  }
  const acceptedAt = (await acceptedAtOf(trx, contract.id)) ?? input.now;
  const moved = await scheduleContract(trx, { id: contract.id, acceptedAt, dueOn: input.dueOn });
  const eventId = await recordEvent(trx, {
    entityType: 'contract',
    entityId: contract.id,
    opportunityId: contract.opportunity_id,
    departmentId: contract.department_id,
    action: 'extend_due_date',
    actorId: user.id,
    at: input.now,
    reason: input.reason,
    reasonLang: input.lang,
    payload: {
      fromDueOn: contract.due_on,
      toDueOn: input.dueOn,
      fromMidpointOn: contract.midpoint_on,
      toMidpointOn: moved.midpointOn,
    },
  });
  await tellAboutContract(trx, input.now, {
    template: 'contract-extended',
    contract,
    to: 'supplier',
    key: eventId,
    detail: input.reason,
    values: datesIn({ from: contract.due_on ?? input.dueOn, to: input.dueOn }),
  });
}

export type AfterTermination = 'next_in_line' | 'end';

export type TerminationOutcome =
  { kind: 'offered'; contractId: number } | { kind: 'ended'; reference: string };

/** Finance is asked, once, to release what is left of the fund reservation. */
async function askForTheFunds(
  trx: Knex.Transaction,
  end: { opportunityId: number; eventId: number; reason?: string; now: Date },
) {
  if (await requestRelease(trx, end.opportunityId, end.now)) {
    await notify(trx, end.now, {
      template: 'contract-funds-release',
      opportunityId: end.opportunityId,
      to: [{ role: 'section32_manager' }, { role: 'finance_officer' }],
      key: end.eventId,
      detail: end.reason,
    });
  }
}

/**
 * Every exit asks finance to release what is left of the fund reservation: the opportunity ends
 * as terminated (awarded, or after no one left in the draw order accepted it), and section 32
 * managers and finance officers are emailed, once.
 */
async function endOpportunity(
  trx: Knex.Transaction,
  user: CurrentUser,
  end: { opportunityId: number; reason: string; lang: Lang; now: Date; noOneLeft: boolean },
) {
  const o = await trx('opportunities').where({ id: end.opportunityId }).first('version');
  const { eventId } = await transition(trx, opportunityMachine, {
    id: end.opportunityId,
    action: 'terminate',
    actor: user,
    expectedVersion: o.version,
    now: end.now,
    reason: end.reason,
    reasonLang: end.lang,
    payload: { noOneLeft: end.noOneLeft },
  });
  await askForTheFunds(trx, { ...end, eventId });
}

/**
 * An offer made after a termination ended (declined, or lapsed) and the next is offered; when
 * no one is left the system ends the opportunity as terminated, asks finance for the funds and
 * tells the requester and the program team (who may re-post it) instead of the usual "cancel or
 * re-post". Without a termination, offerNext() alone.
 */
export async function offerNextAfterAnEnd(
  trx: Knex.Transaction,
  opportunityId: number,
  now: Date,
): Promise<OfferStep> {
  const terminated = await trx('contracts')
    .where({ opportunity_id: opportunityId, status: 'terminated' })
    .first('id');
  const step = await offerNext(trx, opportunityId, now, { tellWhenExhausted: !terminated });
  if (step.kind !== 'exhausted' || !terminated) return step;
  const o = await trx('opportunities').where({ id: opportunityId }).first('version', 'status');
  if (o.status !== 'drawn') return step;
  const { eventId } = await transition(trx, opportunityMachine, {
    id: opportunityId,
    action: 'end_after_termination',
    actor: null,
    expectedVersion: o.version,
    now,
    payload: { noOneLeft: true },
  });
  await askForTheFunds(trx, { opportunityId, eventId, now });
  await notify(trx, now, {
    template: 'contract-no-one-left',
    opportunityId,
    to: ['requester', { role: 'program_officer' }],
    key: eventId,
  });
  return step;
}

/**
 * Termination for non-delivery, by the client or a program officer, with a reason: no payment
 * can follow (an invoice needs accepted work), the supplier is emailed. Then, as they chose, the
 * next passing applicant in the draw order is offered the work — the opportunity goes back to
 * `drawn` and offerNext() makes the offer — or, when they chose to end it or no one is left, the
 * opportunity ends as terminated and finance is asked to release the funds; the client may then
 * re-post it.
 */
export async function terminateForNonDelivery(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: {
    contractId: number;
    version: number;
    reason: string;
    then: AfterTermination;
    lang: Lang;
    now: Date;
  },
): Promise<TerminationOutcome> {
  const { contract, opportunity } = await forTheDepartment(trx, user, input.contractId);
  const locked = await trx('opportunities')
    .where({ id: opportunity.id })
    .forUpdate()
    .first('version');
  const { eventId } = await transition(trx, contractMachine, {
    id: contract.id,
    action: 'terminate_contract',
    actor: user,
    expectedVersion: input.version,
    now: input.now,
    reason: input.reason,
    reasonLang: input.lang,
    payload: { then: input.then, dueOn: (contract as ContractRecord).due_on },
  });
  await tellAboutContract(trx, input.now, {
    template: 'contract-terminated',
    contract,
    to: 'supplier',
    key: eventId,
    detail: input.reason,
  });
  const end = {
    opportunityId: opportunity.id,
    reason: input.reason,
    lang: input.lang,
    now: input.now,
  };
  if (input.then === 'next_in_line') {
    await transition(trx, opportunityMachine, {
      id: opportunity.id,
      action: 'offer_next_in_line',
      actor: user,
      expectedVersion: locked.version,
      now: input.now,
      payload: { terminatedContractId: contract.id },
    });
    const step = await offerNext(trx, opportunity.id, input.now, { tellWhenExhausted: false });
    if (step.kind === 'offered') return { kind: 'offered', contractId: step.contractId };
    await endOpportunity(trx, user, { ...end, noOneLeft: true });
  } else {
    await endOpportunity(trx, user, { ...end, noOneLeft: false });
  }
  return { kind: 'ended', reference: opportunity.reference };
}
