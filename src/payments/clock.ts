import { DateTime } from 'luxon';
import { PAYMENT_TERM_DAYS } from '../invoices/payment-clock.ts';
import { easternDate } from '../platform/dates.ts';

/**
 * The day of the prompt-payment clock an invoice is on: 0 the day it started (the later of the
 * acceptance and the receipt, in Toronto), 30 the day payment is due. Read from the due date the
 * invoice holds, so one rule (src/invoices/payment-clock.ts) sets both.
 */
export function dayOfPaymentClock(paymentDueOn: string, now: Date): number {
  const started = DateTime.fromISO(paymentDueOn, { zone: 'utc' }).minus({
    days: PAYMENT_TERM_DAYS,
  });
  const today = DateTime.fromISO(easternDate(now), { zone: 'utc' });
  return Math.round(today.diff(started, 'days').days);
}

/** Past its due date: payment is late. */
export const isOverdue = (paymentDueOn: string, now: Date) => easternDate(now) > paymentDueOn;
