import type { Knex } from 'knex';
import { formatCalendarDate } from '../platform/dates.ts';
import { languages, type Lang } from '../platform/i18n.ts';
import { enqueueEmail } from '../platform/mail/outbox.ts';
import { formatMoney } from '../platform/money.ts';
import { url, type PageName, type UrlParams } from '../platform/routes.ts';

const both = <T>(make: (lang: Lang) => T) =>
  Object.fromEntries(languages.map((lang) => [lang, make(lang)])) as Record<Lang, T>;
const linkTo = (page: PageName, params: UrlParams) => both((lang) => url(page, params, lang));

/** The card was charged: the supplier is told, and asked to confirm once the money arrives. */
export async function tellSupplierPaidByCard(trx: Knex.Transaction, paymentId: number, now: Date) {
  const row = await trx('payments as m')
    .join('invoices as i', 'i.id', 'm.invoice_id')
    .join('opportunities as o', 'o.id', 'm.opportunity_id')
    .join('users as u', 'u.id', 'm.supplier_id')
    .where('m.id', paymentId)
    .whereNull('u.closed_at')
    .first(
      'u.email',
      'u.preferred_language as language',
      'i.invoice_number',
      'i.contract_id',
      'm.amount_cents',
      'm.paid_on',
      'o.reference',
    );
  if (!row) return;
  await enqueueEmail(
    trx,
    {
      idempotencyKey: `card-payment-made:${paymentId}`,
      template: 'card-payment-made',
      to: row.email,
      language: row.language,
      data: {
        reference: row.reference,
        invoiceNumber: row.invoice_number,
        amount: both((lang) => formatMoney(Number(row.amount_cents), lang)),
        paidOn: both((lang) => formatCalendarDate(String(row.paid_on), lang)),
        link: linkTo('supplierPayment', { id: Number(row.contract_id) }),
      },
    },
    now,
  );
}

export interface Reminder {
  invoiceId: number;
  /** The day of the prompt-payment clock it is sent on: 10, 20 or 25. */
  day: number;
  to: { email: string; language: Lang | null };
  /** Section 34 managers are asked to certify, finance officers to pay. */
  duty: 'certify' | 'pay';
  reference: string;
  invoiceNumber: string;
  dueOn: string;
}

/** One reminder, once: its key names the invoice, the day and the person. */
export const reminderKey = (r: Pick<Reminder, 'invoiceId' | 'day' | 'to'>) =>
  `payment-reminder:${r.invoiceId}:${r.day}:${r.to.email.toLowerCase()}`;

export function sendReminder(trx: Knex.Transaction, reminder: Reminder, now: Date) {
  const { day, to, duty } = reminder;
  return enqueueEmail(
    trx,
    {
      idempotencyKey: reminderKey(reminder),
      template: 'payment-reminder',
      to: to.email,
      language: to.language,
      data: {
        duty,
        day,
        reference: reminder.reference,
        invoiceNumber: reminder.invoiceNumber,
        dueOn: both((lang) => formatCalendarDate(reminder.dueOn, lang)),
        link:
          duty === 'certify'
            ? linkTo('certificationQueue', {})
            : linkTo('invoicePayment', { invoice: reminder.invoiceId }),
      },
    },
    now,
  );
}
