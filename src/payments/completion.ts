import type { Knex } from 'knex';
import { contractMachine } from '../contracts/machine.ts';
import { transition, TransitionError } from '../lifecycle/transition.ts';
import { opportunityMachine } from '../opportunities/machine.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { paymentMachine } from './machine.ts';

/**
 * The supplier confirms the money arrived (`confirm_receipt`): the payment is confirmed and the
 * contract and its opportunity completed by the system (`complete_contract`, `complete`), in one
 * transaction. Only a paid
 * payment can be confirmed, by its own supplier (the machine's roles); a second click is stale.
 */
export async function confirmReceipt(
  trx: Knex.Transaction,
  supplier: CurrentUser,
  input: { contractId: number; paymentVersion: number; now: Date },
): Promise<void> {
  const payment = await trx('payments as m')
    .join('invoices as i', 'i.id', 'm.invoice_id')
    .where('i.contract_id', input.contractId)
    .whereIn('m.status', ['paid', 'confirmed'])
    .forUpdate('m')
    .first('m.id');
  if (!payment) throw new TransitionError({ kind: 'wrong_state', status: 'unpaid' });
  await transition(trx, paymentMachine, {
    id: Number(payment.id),
    action: 'confirm_receipt',
    actor: supplier,
    expectedVersion: input.paymentVersion,
    now: input.now,
  });
  const contract = await trx('contracts').where({ id: input.contractId }).forUpdate().first();
  await transition(trx, contractMachine, {
    id: contract.id,
    action: 'complete_contract',
    actor: null,
    expectedVersion: contract.version,
    now: input.now,
    payload: { paymentId: Number(payment.id) },
  });
  const opportunity = await trx('opportunities')
    .where({ id: contract.opportunity_id })
    .forUpdate()
    .first('id', 'version');
  await transition(trx, opportunityMachine, {
    id: Number(opportunity.id),
    action: 'complete',
    actor: null,
    expectedVersion: opportunity.version,
    now: input.now,
    payload: { contractId: Number(contract.id) },
  });
}
