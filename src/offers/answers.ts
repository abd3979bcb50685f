import type { Knex } from 'knex';
import { contractMachine, type ContractRow } from '../contracts/machine.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { transition, TransitionError } from '../lifecycle/transition.ts';
import { currentTerms, recordAcceptance } from '../terms/repo.ts';
import { dueDateFor, scheduleContract } from '../contracts/schedule.ts';
import { deadlineIn, linkTo, sendAbout, staffOf, supplierOf } from './emails.ts';
import { offerNextAfterAnEnd } from '../contracts/non-delivery.ts';
import type { OfferStep } from './offer-next.ts';

export interface OfferRow extends ContractRow {
  respond_by: Date | null;
}

async function lockOffer(trx: Knex.Transaction, contractId: number) {
  const contract: OfferRow | undefined = await trx('contracts')
    .where({ id: contractId })
    .forUpdate()
    .first();
  if (!contract) throw new TransitionError({ kind: 'not_found' });
  const opportunity = await trx('opportunities')
    .where({ id: contract.opportunity_id })
    .forUpdate()
    .first();
  return { contract, opportunity };
}

/** Past its time to answer, an offer can no longer be accepted, even before the job lapses it. */
const pastItsTime = (contract: OfferRow, now: Date) =>
  contract.respond_by !== null && contract.respond_by.getTime() <= now.getTime();

/**
 * The offered supplier accepts the terms they read: the version shown (refused if a newer one
 * was published meanwhile), the time and the language are recorded, the contract is under way
 * and the opportunity is awarded. The supplier gets the kick-off email, the staff a notice.
 */
export async function acceptOffer(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: { contractId: number; version: number; termsVersionId: number; language: Lang; now: Date },
): Promise<void> {
  const { contract, opportunity } = await lockOffer(trx, input.contractId);
  const { now } = input;
  if (contract.status === 'offered' && pastItsTime(contract, now)) {
    throw new TransitionError({ kind: 'guard', failure: { code: 'offer_lapsed' } });
  }
  const terms = await currentTerms(trx);
  if (terms.id !== input.termsVersionId) {
    throw new TransitionError({ kind: 'guard', failure: { code: 'terms_changed' } });
  }
  await transition(trx, contractMachine, {
    id: contract.id,
    action: 'accept_terms',
    actor: user,
    expectedVersion: input.version,
    now,
    payload: { termsVersion: terms.number, language: input.language },
  });
  await recordAcceptance(trx, {
    contractId: contract.id,
    termsVersionId: terms.id,
    supplierId: user.id,
    language: input.language,
    at: now,
  });
  // Due on the opportunity's delivery date (later after a termination); its midpoint check-in
  // counts from today.
  const dueOn = await dueDateFor(trx, {
    opportunityId: opportunity.id,
    acceptedAt: now,
    deliveryDueOn: opportunity.delivery_due_on ?? null,
  });
  await scheduleContract(trx, { id: contract.id, acceptedAt: now, dueOn });
  await transition(trx, opportunityMachine, {
    id: opportunity.id,
    action: 'award',
    actor: null,
    expectedVersion: opportunity.version,
    now,
    payload: { contractId: contract.id },
  });
  const supplier = await supplierOf(trx, user.id);
  if (supplier) {
    await sendAbout(trx, now, {
      template: 'offer-accepted',
      opportunity,
      to: supplier,
      key: contract.id,
      data: { termsVersion: terms.number, link: linkTo('contract', { id: contract.id }) },
    });
  }
  for (const to of await staffOf(trx, opportunity)) {
    await sendAbout(trx, now, {
      template: 'offer-awarded',
      opportunity,
      to,
      key: contract.id,
      data: { link: linkTo('request', { ref: opportunity.reference }) },
    });
  }
}

/**
 * The offer ends without a contract: the supplier declined it, or the system let it lapse at its
 * time to answer. The supplier is told, and the next in the draw order is offered it at once.
 */
async function endOffer(
  trx: Knex.Transaction,
  end: {
    contract: OfferRow;
    opportunity: { id: number; reference: string; title_en: string; title_fr: string };
    action: 'decline_offer' | 'lapse';
    actor: CurrentUser | null;
    version: number;
    now: Date;
    reason?: string;
    reasonLang?: Lang;
  },
): Promise<OfferStep> {
  const { contract, opportunity, now } = end;
  await transition(trx, contractMachine, {
    id: contract.id,
    action: end.action,
    actor: end.actor,
    expectedVersion: end.version,
    now,
    reason: end.reason,
    reasonLang: end.reasonLang,
  });
  const supplier = await supplierOf(trx, contract.supplier_id);
  if (supplier) {
    await sendAbout(trx, now, {
      template: end.action === 'lapse' ? 'offer-lapsed' : 'offer-declined',
      opportunity,
      to: supplier,
      key: contract.id,
      data: {
        respondBy: contract.respond_by ? deadlineIn(contract.respond_by) : null,
        link: linkTo('offer', { id: contract.id }),
      },
    });
  }
  return offerNextAfterAnEnd(trx, opportunity.id, now);
}

export async function declineOffer(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: {
    contractId: number;
    version: number;
    reason?: string;
    /** The page's language, which the reason was typed in. */
    reasonLang?: Lang;
    now: Date;
  },
): Promise<OfferStep> {
  const { contract, opportunity } = await lockOffer(trx, input.contractId);
  return endOffer(trx, {
    contract,
    opportunity,
    action: 'decline_offer',
    actor: user,
    version: input.version,
    now: input.now,
    reason: input.reason,
    reasonLang: input.reasonLang,
  });
}

/** The lapse job's step: false when the offer was answered, or its time has not come. */
export async function lapseIfDue(
  trx: Knex.Transaction,
  contractId: number,
  now: Date,
): Promise<boolean> {
  const { contract, opportunity } = await lockOffer(trx, contractId);
  if (contract.status !== 'offered' || !pastItsTime(contract, now)) return false;
  await endOffer(trx, {
    contract,
    opportunity,
    action: 'lapse',
    actor: null,
    version: contract.version,
    now,
  });
  return true;
}
