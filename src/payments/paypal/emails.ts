import type { Knex } from 'knex';
import { formatMoney } from '../../platform/money.ts';
import { enqueueEmail } from '../../platform/mail/outbox.ts';
import { url } from '../../platform/routes.ts';

const both = <T>(make: (lang: 'en' | 'fr') => T) => ({ en: make('en'), fr: make('fr') });

/** PayPal paid the supplier: they are told where the money went and asked to confirm it came. */
export async function tellSupplierPaid(trx: Knex.Transaction, paymentId: number, now: Date) {
  const row = await trx('payments as m')
    .join('invoices as i', 'i.id', 'm.invoice_id')
    .join('opportunities as o', 'o.id', 'm.opportunity_id')
    .join('paypal_payouts as p', 'p.payment_id', 'm.id')
    .join('users as u', 'u.id', 'm.supplier_id')
    .where('m.id', paymentId)
    .whereNull('u.closed_at')
    .first(
      'u.email',
      'u.preferred_language as language',
      'i.invoice_number',
      'm.amount_cents',
      'p.receiver',
      'o.reference',
    );
  if (!row) return;
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `paypal-payout-paid:${paymentId}`,
      template: 'paypal-payout-paid',
      to: row.email,
      language: row.language,
      data: {
        reference: row.reference,
        invoiceNumber: row.invoice_number,
        amount: both((lang) => formatMoney(Number(row.amount_cents), lang)),
        receiver: row.receiver,
        link: both((lang) => url('account', {}, lang)),
      },
    },
    now,
  );
}
