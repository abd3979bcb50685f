import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { inOneTransaction, TransitionError } from '../lifecycle/transition.ts';
import { departmentsOf, hasRole, type CurrentUser } from '../platform/auth.ts';
import { formatDeadline } from '../platform/dates.ts';
import type { AppDeps } from '../platform/deps.ts';
import type { Lang, Translate } from '../platform/i18n.ts';
import { formatMoney } from '../platform/money.ts';
import { url } from '../platform/routes.ts';
import { textIn } from '../requests/texts.ts';
import { releaseFundReservation } from '../review/fund-reservations.ts';
import { lockHeldReservation } from '../review/repo.ts';
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
  db: Db | Knex.Transaction,
  departmentIds: readonly number[],
  only?: { reference: string },
): Promise<FundsToRelease[]> {
  if (departmentIds.length === 0) return [];
  const held = await heldFundsOf(db, departmentIds, only);
  return held
    .map((r) => ({
      ...r,
      paid_cents: Number(r.paid_cents),
      left_cents: r.amount_cents - r.released_cents - Number(r.paid_cents),
    }))
    .filter((r) => r.left_cents > 0);
}

export type ReleaseOutcome = { ok: true } | { ok: false; key: string };

/**
 * Finance records that what was left of the reservation (reserved minus released minus paid) was
 * released in the financial system, by a section 32 manager or finance officer of the department.
 * Nothing paid: the whole reservation ends; something paid: only the unpaid part is released. The
 * amount the page showed must still be what is left: a second click, or a payment in between,
 * finds another figure and is refused. Whether release was asked (a cancellation, a termination)
 * does not matter here: the opportunity no longer needs the funds, whatever ended it.
 */
export async function releaseWhatIsLeft(
  deps: AppDeps,
  actor: CurrentUser,
  reference: string,
  shownLeftCents: number,
): Promise<ReleaseOutcome> {
  const now = deps.clock.now();
  const done = await inOneTransaction(deps.db, async (trx): Promise<ReleaseOutcome> => {
    const opportunity = await trx('opportunities')
      .where({ reference })
      .first<{ id: number; department_id: number } | undefined>('id', 'department_id');
    if (!opportunity) throw new TransitionError({ kind: 'not_found' });
    if (!hasRole(actor, ['section32_manager', 'finance_officer'], opportunity.department_id)) {
      throw new TransitionError({ kind: 'forbidden' });
    }
    // Under the reservation's lock, so that two clicks cannot both release the same part.
    await lockHeldReservation(trx, opportunity.id);
    const [funds] = await fundsToRelease(trx, departmentsOf(actor), { reference });
    if (!funds) return { ok: false, key: 'certification.funds.errors.nothingLeft' };
    if (funds.left_cents !== shownLeftCents) {
      return { ok: false, key: 'certification.funds.errors.changed' };
    }
    const released = await releaseFundReservation(trx, actor, {
      opportunityId: opportunity.id,
      cents: funds.left_cents,
      now,
    });
    return released.ok ? released : { ok: false, key: released.key };
  });
  if (done.ok) return done.value;
  if (done.failure.kind === 'forbidden') return { ok: false, key: 'lifecycle.failures.forbidden' };
  return { ok: false, key: 'certification.funds.errors.nothingLeft' };
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
      leftCents: r.left_cents,
      action: url('releaseHeldFunds', { ref: r.reference }, lang),
      href: url('request', { ref: r.reference }, lang),
    };
  });
}
