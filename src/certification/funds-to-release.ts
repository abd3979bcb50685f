import type { Db } from '../db/knex.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { textIn } from '../requests/texts.ts';
import { heldFundsOf, type HeldFunds } from './repo.ts';

/**
 * Finance's view of the funds still reserved on cancelled, no-qualified, terminated and completed
 * opportunities: what was reserved, minus what was released and what was paid, is what is left to
 * release in the financial system. A reservation whose whole amount was paid has nothing left.
 */
export interface FundsToRelease extends HeldFunds {
  left_cents: number;
}

export async function fundsToRelease(
  db: Db,
  departmentIds: readonly number[],
): Promise<FundsToRelease[]> {
  if (departmentIds.length === 0) return [];
  const held = await heldFundsOf(db, departmentIds);
  return held
    .map((r) => ({
      ...r,
      paid_cents: Number(r.paid_cents),
      left_cents: r.amount_cents - r.released_cents - Number(r.paid_cents),
    }))
    .filter((r) => r.left_cents > 0);
}

export function presentFundsToRelease(rows: readonly FundsToRelease[], lang: Lang, t: Translate) {
  return rows.map((r) => {
    const title = textIn(r, 'title', lang);
    return {
      reference: r.reference,
      title: title.text,
      titleLang: title.lang,
      status: t(`status.${r.status}`),
      reservationNumber: r.reservation_number,
      reserved: formatMoney(r.amount_cents, lang),
      released: formatMoney(r.released_cents, lang),
      paid: formatMoney(r.paid_cents, lang),
      left: formatMoney(r.left_cents, lang),
      requestedAt: r.release_requested_at ? formatDeadline(r.release_requested_at, lang) : '',
      // The request page records the release (src/review/, "Release the reserved funds").
      href: url('request', { ref: r.reference }, lang),
    };
  });
}
