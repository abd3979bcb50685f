import type { Knex } from 'knex';
import { recordEvent } from '../lifecycle/events.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { ContractRefused, viewerOf } from './access.ts';
import { datesIn, tellAboutContract } from './emails.ts';
import { contractStepsOf, lockContract, opportunityOf, type ContractRecord } from './repo.ts';
import { midpointPassed } from './schedule.ts';
import type { CheckInAnswer } from './steps.ts';

const contractEvent = (contract: ContractRecord) => ({
  entityType: 'contract',
  entityId: contract.id,
  opportunityId: contract.opportunity_id,
  departmentId: contract.department_id,
});

/**
 * The supplier says the work is on track, or flags a risk with a note; the latest answer is the
 * one the page shows. A risk is emailed to the client and the program team at once.
 */
export async function checkIn(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: { contractId: number; answer: CheckInAnswer; note: string; lang: Lang; now: Date },
): Promise<void> {
  const contract = await lockContract(trx, input.contractId);
  const opportunity = contract && (await opportunityOf(trx, contract.opportunity_id));
  if (!contract || viewerOf(contract, opportunity!, user) !== 'supplier') {
    throw new TransitionError({ kind: 'not_found' });
  }
  if (contract.status !== 'in_progress')
    throw new ContractRefused('answer', 'contracts.errors.notInProgress');
  const note = input.note.trim();
  const eventId = await recordEvent(trx, {
    ...contractEvent(contract),
    action: 'check_in',
    actorId: user.id,
    at: input.now,
    reason: note || null,
    reasonLang: input.lang,
    payload: { answer: input.answer, midpointOn: contract.midpoint_on },
  });
  if (input.answer === 'at_risk') {
    await tellAboutContract(trx, input.now, {
      template: 'contract-at-risk',
      contract,
      to: 'department',
      key: eventId,
      detail: note,
    });
  }
}

/**
 * The midpoint job's step: once the midpoint's day is over with no check-in, the client and the
 * program team are emailed, once for that midpoint (an event records it; an extension moves the
 * midpoint, and a new one may alert again). False when there is nothing to do.
 */
export async function alertIfMidpointMissed(
  trx: Knex.Transaction,
  contractId: number,
  now: Date,
): Promise<boolean> {
  const contract = await lockContract(trx, contractId);
  if (!contract || contract.status !== 'in_progress' || !contract.midpoint_on) return false;
  if (!midpointPassed(contract.midpoint_on, now)) return false;
  const steps = await contractStepsOf(trx, contract.id, ['check_in', 'midpoint_missed']);
  if (steps.some((s) => s.action === 'check_in')) return false;
  if (steps.some((s) => s.payload.midpointOn === contract.midpoint_on)) return false;
  const eventId = await recordEvent(trx, {
    ...contractEvent(contract),
    action: 'midpoint_missed',
    actorId: null,
    at: now,
    payload: { midpointOn: contract.midpoint_on, dueOn: contract.due_on },
  });
  await tellAboutContract(trx, now, {
    template: 'contract-midpoint-missed',
    contract,
    to: 'department',
    key: eventId,
    values: datesIn({
      midpoint: contract.midpoint_on,
      due: contract.due_on ?? contract.midpoint_on,
    }),
  });
  return true;
}
