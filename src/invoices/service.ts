import type { Knex } from 'knex';
import { create, transition, TransitionError } from '../lifecycle/transition.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { easternDate, isCalendarDate } from '../platform/dates.ts';
import { sendInvoiceReceived, sendReservationNotice } from './emails.ts';
import { invoiceColumns, prefillInvoice } from './issue.ts';
import { invoiceMachine } from './machine.ts';
import { findInvoiceOfContract, findInvoicedContract, type InvoicedContract } from './repo.ts';
import { adjustReservationToInvoice, type ReservationOutcome } from './reservation.ts';

const refuse = (code: string, values?: Record<string, string>) =>
  new TransitionError({ kind: 'guard', failure: { code, values } });

/** The contract, to its own supplier only: anyone else is told it does not exist. */
async function contractOfSupplier(
  db: Knex | Knex.Transaction,
  actor: CurrentUser | undefined,
  contractId: number,
  options: { lock?: boolean } = {},
): Promise<InvoicedContract> {
  const contract = await findInvoicedContract(db, contractId, options);
  if (!contract || actor?.kind !== 'supplier' || contract.supplier_id !== actor.id) {
    throw new TransitionError({ kind: 'not_found' });
  }
  return contract;
}

/**
 * The invoice date the supplier may choose: a real day, not after today and not before the work
 * was accepted (both in Toronto). A refusal names the rule, for the date field.
 */
export function checkInvoiceDate(date: string, acceptedOn: string, now: Date): void {
  if (!isCalendarDate(date)) throw refuse('invoice_date_invalid');
  if (date > easternDate(now)) throw refuse('invoice_date_future');
  if (date < acceptedOn) throw refuse('invoice_date_before_acceptance');
}

export interface SubmitInvoice {
  contractId: number;
  invoiceNumber: string;
  invoiceDate: string;
  /** The returned invoice's version the supplier corrected; none for a first submission. */
  version?: number;
  now: Date;
}

/**
 * The supplier submits the invoice for their accepted work, or submits a returned one again
 * with its corrections. It is received now: the prompt-payment clock starts (again, for a
 * corrected one), the fund reservation follows its total, the supplier gets an acknowledgment
 * and the department's section 34 managers a queue notice — all in the caller's transaction.
 */
export async function submitInvoice(
  trx: Knex.Transaction,
  actor: CurrentUser,
  input: SubmitInvoice,
): Promise<{ invoiceId: number; reservation: ReservationOutcome }> {
  const { now } = input;
  // Locked: two submissions at once take turns, and the second finds the first's invoice.
  const contract = await contractOfSupplier(trx, actor, input.contractId, { lock: true });
  const existing = await findInvoiceOfContract(trx, contract.id);
  if (existing && existing.status !== 'returned') throw refuse('invoice_exists');
  if (!existing && contract.status !== 'accepted') throw refuse('invoice_before_acceptance');
  const prefill = await prefillInvoice(trx, contract, input);
  if (!prefill.ok) throw refuse('invoice_details_missing');
  checkInvoiceDate(input.invoiceDate, prefill.acceptedOn, now);
  const columns = invoiceColumns(prefill.content, prefill.acceptedAt, now);

  let invoiceId: number;
  let eventId: number;
  if (existing) {
    if (input.version === undefined) throw new TransitionError({ kind: 'stale' });
    ({ eventId } = await transition(trx, invoiceMachine, {
      id: existing.id,
      action: 'resubmit',
      actor,
      expectedVersion: input.version,
      now,
      payload: { invoiceNumber: columns.invoice_number, totalCents: columns.amount_cents },
    }));
    await trx('invoices')
      .where({ id: existing.id })
      .update({ ...columns, updated_at: now });
    invoiceId = existing.id;
  } else {
    ({ id: invoiceId, eventId } = await create(trx, invoiceMachine, {
      values: {
        opportunity_id: contract.opportunity_id,
        department_id: contract.department_id,
        contract_id: contract.id,
        supplier_id: contract.supplier_id,
        ...columns,
      },
      actor,
      now,
      action: 'invoice',
      payload: { invoiceNumber: columns.invoice_number, totalCents: columns.amount_cents },
    }));
  }
  const about = {
    opportunityId: contract.opportunity_id,
    contractId: contract.id,
    eventId,
    invoiceNumber: columns.invoice_number,
  };
  const reservation = await adjustReservationToInvoice(
    trx,
    { ...about, invoiceId, totalCents: columns.amount_cents },
    now,
  );
  await sendInvoiceReceived(trx, now, {
    ...about,
    supplierId: contract.supplier_id,
    totalCents: columns.amount_cents,
    paymentDueOn: columns.payment_due_on,
  });
  await sendReservationNotice(trx, now, about, reservation);
  return { invoiceId, reservation };
}
