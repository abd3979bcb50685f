import { addBusinessDays } from '../platform/business-days.ts';
import { easternDate, easternInstant } from '../platform/dates.ts';

/** Business days an offered supplier has to accept the terms (DOMAIN.md: 3). */
const OFFER_BUSINESS_DAYS = 3;

/**
 * The end of the third business day after the day of the offer, in Eastern time: an offer made
 * on a Friday evening runs to Wednesday midnight, a holiday does not count.
 */
export function respondBy(offeredAt: Date): Date {
  const lastDay = addBusinessDays(easternDate(offeredAt), OFFER_BUSINESS_DAYS);
  return new Date(easternInstant(lastDay, 23, 59).getTime() + 59_999);
}
