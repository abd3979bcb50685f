import type { Knex } from 'knex';
import { contractMachine } from '../contracts/machine.ts';
import { transition, TransitionError } from '../lifecycle/transition.ts';
import { both, linkTo, requesterOf, sendAbout, supplierOf } from '../offers/emails.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { scheduleReviewReminder } from './jobs.ts';
import {
  contractWithOpportunity,
  insertDelivery,
  insertReview,
  roundsOf,
  workCriteriaOf,
  type CriterionJudgement,
  type DeliveryLink,
} from './repo.ts';
import { problemReportDeadline, reviewProblem, type ReviewDecision } from './rules.ts';

const refuse = (code: string, values?: Record<string, string | number>) => {
  throw new TransitionError({ kind: 'guard', failure: { code, values } });
};

async function lockedFile(trx: Knex.Transaction, contractId: number) {
  const file = await contractWithOpportunity(trx, contractId, { lock: true });
  if (!file) throw new TransitionError({ kind: 'not_found' });
  return file;
}

/**
 * The contract's supplier delivers a round of work: its links (already checked against the
 * opportunity's repository by the form) and notes, numbered after the rounds before it; the
 * contract moves to `delivered`. The client is told, with the last day to report a problem, and
 * reminded three days before it if the round is still not reviewed then (jobs.ts); the supplier
 * gets an acknowledgment.
 */
export async function deliverWork(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: {
    contractId: number;
    version: number;
    links: readonly DeliveryLink[];
    notes: string;
    notesLang: Lang;
    now: Date;
  },
): Promise<{ round: number }> {
  const { contract, opportunity } = await lockedFile(trx, input.contractId);
  const { now } = input;
  if (contract.supplier_id !== user.id) throw new TransitionError({ kind: 'forbidden' });
  if (contract.status !== 'in_progress') {
    throw new TransitionError({ kind: 'wrong_state', status: contract.status });
  }
  if (input.links.length === 0) refuse('delivery_no_link');
  const round = (await roundsOf(trx, contract.id)).length + 1;
  const deliveryId = await insertDelivery(trx, {
    contract,
    round,
    notes: input.notes,
    notesLang: input.notesLang,
    links: input.links,
    by: user.id,
    at: now,
  });
  await transition(trx, contractMachine, {
    id: contract.id,
    action: 'deliver',
    actor: user,
    expectedVersion: input.version,
    now,
    payload: { round, links: input.links.map((l) => l.url) },
  });
  const reportBy = problemReportDeadline(now);
  const data = {
    round,
    reportBy: both((lang) => formatCalendarDate(reportBy, lang)),
    links: input.links.map((l) => l.url),
  };
  for (const to of await requesterOf(trx, opportunity)) {
    await sendAbout(trx, now, {
      template: 'delivery-received',
      opportunity,
      to,
      key: deliveryId,
      data: { ...data, link: linkTo('contractReview', { id: contract.id }) },
    });
  }
  await scheduleReviewReminder(trx, { id: deliveryId, deliveredAt: now });
  const supplier = await supplierOf(trx, contract.supplier_id);
  if (supplier) {
    await sendAbout(trx, now, {
      template: 'delivery-acknowledged',
      opportunity,
      to: supplier,
      key: deliveryId,
      data: { ...data, link: linkTo('contractDelivery', { id: contract.id }) },
    });
  }
  return { round };
}

/**
 * The client who requested the work reviews the latest round: every work acceptance criterion
 * met or not, with a comment (required when not met, checked by the form and the database), then
 * accepts the work — only when every criterion is met — or asks for revisions: the list of what
 * is missing, from the unmet criteria and the client's own words, goes to the supplier and the
 * contract is back in progress for another round.
 */
export async function reviewWork(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: {
    contractId: number;
    version: number;
    decision: ReviewDecision;
    judgements: readonly CriterionJudgement[];
    reason: string;
    reasonLang: Lang;
    now: Date;
  },
): Promise<void> {
  const { contract, opportunity } = await lockedFile(trx, input.contractId);
  const { now } = input;
  if (opportunity.requester_id !== user.id) refuse('delivery_not_requester');
  if (contract.status !== 'delivered') {
    throw new TransitionError({ kind: 'wrong_state', status: contract.status });
  }
  const criteria = await workCriteriaOf(trx, opportunity.id);
  const judgements = criteria.flatMap((c) => {
    const j = input.judgements.find((given) => given.criterionId === c.id);
    return j ? [{ ...j, version: c.version }] : [];
  });
  const problem = reviewProblem(input.decision, judgements, criteria.length, input.reason);
  if (problem) refuse(problem);
  const latest = (await roundsOf(trx, contract.id)).at(-1);
  if (!latest || latest.review)
    throw new TransitionError({ kind: 'wrong_state', status: 'in_progress' });
  const outcome = input.decision === 'accept' ? 'accepted' : 'revisions';
  await insertReview(trx, {
    deliveryId: latest.id,
    outcome,
    reason: input.reason,
    reasonLang: input.reasonLang,
    by: user.id,
    at: now,
    judgements,
  });
  const missing = judgements
    .filter((j) => !j.met)
    .map((j) => {
      const c = criteria.find((k) => k.id === j.criterionId)!;
      return { position: c.position, text: { en: c.text_en, fr: c.text_fr }, comment: j.comment };
    });
  const summary = [
    ...missing.map((m) => `${m.position}. ${m.text[input.reasonLang]} — ${m.comment}`),
    input.reason,
  ]
    .filter((line) => line.trim() !== '')
    .join('\n');
  await transition(trx, contractMachine, {
    id: contract.id,
    action: outcome === 'accepted' ? 'accept_work' : 'request_revisions',
    actor: user,
    expectedVersion: input.version,
    now,
    reason: outcome === 'revisions' ? summary : undefined,
    reasonLang: input.reasonLang,
    payload: { round: latest.round },
  });
  const supplier = await supplierOf(trx, contract.supplier_id);
  if (!supplier) return;
  await sendAbout(trx, now, {
    template: outcome === 'accepted' ? 'work-accepted' : 'revisions-requested',
    opportunity,
    to: supplier,
    key: latest.id,
    data: {
      round: latest.round,
      missing,
      reason: input.reason,
      reasonLang: input.reasonLang,
      link: linkTo(outcome === 'accepted' ? 'invoice' : 'contractDelivery', { id: contract.id }),
    },
  });
}
