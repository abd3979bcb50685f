import type { Knex } from 'knex';
import { notify } from '../lifecycle/notify.ts';
import { formatCalendarDate } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import type { ReservationOutcome } from './reservation.ts';

const both = <T>(make: (lang: Lang) => T): Record<Lang, T> => ({ en: make('en'), fr: make('fr') });

const invoiceLink = (contractId: number) =>
  both((lang) => url('invoice', { id: contractId }, lang));

async function personOf(trx: Knex.Transaction, userId: number) {
  const row = await trx('users')
    .where({ id: userId })
    .whereNull('closed_at')
    .first('email', 'preferred_language as language');
  return row ? [{ email: row.email as string, language: row.language as Lang }] : [];
}

/**
 * An invoice received (or received again, corrected): the supplier's acknowledgment with the
 * date payment is due, and the queue notice to the department's section 34 managers.
 */
export async function sendInvoiceReceived(
  trx: Knex.Transaction,
  now: Date,
  invoice: {
    opportunityId: number;
    contractId: number;
    supplierId: number;
    eventId: number;
    invoiceNumber: string;
    totalCents: number;
    paymentDueOn: string;
  },
): Promise<void> {
  const values = both((lang) => ({
    number: invoice.invoiceNumber,
    total: formatMoney(invoice.totalCents, lang),
    dueOn: formatCalendarDate(invoice.paymentDueOn, lang),
  }));
  const link = invoiceLink(invoice.contractId);
  await notify(trx, now, {
    template: 'invoice-received',
    opportunityId: invoice.opportunityId,
    to: await personOf(trx, invoice.supplierId),
    key: invoice.eventId,
    link,
    data: { values },
  });
  await notify(trx, now, {
    template: 'invoice-to-certify',
    opportunityId: invoice.opportunityId,
    to: [{ role: 'section34_manager' }],
    key: invoice.eventId,
    // Their evidence page for this invoice, where they certify or return it.
    link: 'certificationEvidence',
    data: { values },
  });
}

/**
 * The section 32 manager who approved the funds hears when the reservation goes up; when it
 * cannot follow the invoice, every section 32 manager of the department is asked to act too.
 */
export async function sendReservationNotice(
  trx: Knex.Transaction,
  now: Date,
  invoice: { opportunityId: number; contractId: number; eventId: number; invoiceNumber: string },
  outcome: ReservationOutcome,
): Promise<void> {
  if (outcome.kind === 'raised') {
    await notify(trx, now, {
      template: 'reservation-raised',
      opportunityId: invoice.opportunityId,
      to: await personOf(trx, outcome.approvedBy),
      key: invoice.eventId,
      data: {
        values: both((lang) => ({
          number: invoice.invoiceNumber,
          from: formatMoney(outcome.fromCents, lang),
          to: formatMoney(outcome.toCents, lang),
        })),
      },
    });
  } else if (outcome.kind === 'needs_section32') {
    await notify(trx, now, {
      template: 'reservation-short',
      opportunityId: invoice.opportunityId,
      to: [...(await personOf(trx, outcome.approvedBy)), { role: 'section32_manager' }],
      key: invoice.eventId,
      data: {
        values: both((lang) => ({
          number: invoice.invoiceNumber,
          reserved: formatMoney(outcome.reservationCents, lang),
          total: formatMoney(outcome.invoiceCents, lang),
        })),
      },
    });
  }
}
