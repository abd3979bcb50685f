import { DateTime } from 'luxon';
import { EASTERN } from '../platform/dates.ts';

/** Prompt payment: the department pays within this many days (DOMAIN.md, "Payment"). */
export const PAYMENT_TERM_DAYS = 30;

/**
 * THE prompt-payment clock: payment is due 30 calendar days after the later of the work's
 * acceptance and the invoice's receipt, each taken as its calendar day in Toronto. A date,
 * `YYYY-MM-DD`: the clock counts days, not hours.
 */
export function paymentDueOn(acceptedAt: Date, receivedAt: Date): string {
  const later = Math.max(acceptedAt.getTime(), receivedAt.getTime());
  return DateTime.fromMillis(later, { zone: EASTERN })
    .startOf('day')
    .plus({ days: PAYMENT_TERM_DAYS })
    .toISODate()!;
}
