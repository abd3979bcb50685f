import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { contractMachine } from '../../src/contracts/machine.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import { paymentMachine } from '../../src/payments/machine.ts';
import { url } from '../../src/platform/routes.ts';
import { amendFundReservation } from '../../src/review/fund-reservations.ts';
import { releaseFunds } from '../../src/review/service.ts';
import { certificationWorld } from '../helpers/certification-world.ts';
import { aCertifiedInvoice } from '../helpers/contract-world.ts';
import { aCancelledOpportunity, aPublishedOpportunity } from '../helpers/scenarios.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';

/**
 * Finance's view of the funds to release (issue 12, item 8): reservations still held on
 * opportunities that no longer need them, reserved minus released minus paid.
 */
const w = certificationWorld();
const pageUrl = (lang: 'en' | 'fr' = 'en') => url('fundsToRelease', {}, lang);

async function rowsSeen(lang: 'en' | 'fr' = 'en') {
  const res = await (await w.as('finance', lang)).client.get(pageUrl(lang)).expect(200);
  return parse(res.text)
    .querySelectorAll('tbody tr')
    .map((tr) => ({
      reference: tr.querySelector('th')!.text.trim(),
      cells: tr.querySelectorAll('td').map((td) => td.text.trim()),
    }));
}

/** The invoice paid by card and the work completed, through the lifecycle. */
async function paidAndCompleted(file: Awaited<ReturnType<typeof aCertifiedInvoice>>) {
  const { db } = w.database;
  const finance = await currentUserOf(db, w.ids.finance);
  const now = w.t.clock.now();
  const invoice = await db('invoices').where({ id: file.invoiceId }).first();
  await db.transaction(async (trx) => {
    const { id } = await create(trx, paymentMachine, {
      values: {
        opportunity_id: file.s.id,
        department_id: file.s.departmentId,
        invoice_id: invoice.id,
        supplier_id: invoice.supplier_id,
        amount_cents: invoice.amount_cents,
        method: 'card_direct',
        requested_by: finance.id,
        card_last4: '4242',
        card_authorization_code: 'A1B2C3',
        card_exemption_reference: 'CFO-2026-017',
        paid_on: '2026-11-23',
      },
      actor: finance,
      now,
    });
    await transition(trx, paymentMachine, {
      id,
      action: 'pay_by_card',
      actor: finance,
      expectedVersion: 1,
      now,
    });
    const contract = await trx('contracts').where({ id: file.contractId }).first('version');
    await transition(trx, contractMachine, {
      id: file.contractId,
      action: 'complete_contract',
      actor: null,
      expectedVersion: contract.version,
      now,
    });
    const opportunity = await trx('opportunities').where({ id: file.s.id }).first('version');
    await transition(trx, opportunityMachine, {
      id: file.s.id,
      action: 'complete',
      actor: null,
      expectedVersion: opportunity.version,
      now,
    });
  });
}

describe('funds to release', () => {
  it('lists a cancelled opportunity’s reservation, reserved minus released, and none still needed', async () => {
    const cancelled = await aCancelledOpportunity(w.t, { department: w.departmentId });
    const published = await aPublishedOpportunity(w.t, { department: w.departmentId });
    let rows = await rowsSeen();
    const row = rows.find((r) => r.reference === cancelled.reference);
    expect(row?.cells.slice(0, 7)).toEqual([
      expect.stringContaining('Fix the form validator'),
      'Cancelled',
      `FR-${cancelled.reference}`,
      '$7,475.00',
      '$0.00',
      '$0.00',
      '$7,475.00',
    ]);
    expect(rows.map((r) => r.reference)).not.toContain(published.reference);

    // Finance released part of it in the financial system: the rest is still to release.
    const finance = await currentUserOf(w.database.db, w.ids.finance);
    const outcome = await releaseFunds(w.t.deps, finance, cancelled.reference, {
      amountCents: 100_000,
    });
    expect(outcome.ok).toBe(true);
    rows = await rowsSeen('fr');
    expect(rows.find((r) => r.reference === cancelled.reference)?.cells.slice(3, 7)).toEqual([
      '7\u00a0475,00\u00a0$',
      '1\u00a0000,00\u00a0$',
      '0,00\u00a0$',
      '6\u00a0475,00\u00a0$',
    ]);
  });

  it('subtracts what was paid: a completed opportunity paid in full has nothing left to release', async () => {
    const file = await aCertifiedInvoice(w.t);
    await paidAndCompleted(file);
    const status = await w.database.db('opportunities').where({ id: file.s.id }).first('status');
    expect(status.status).toBe('completed');
    expect((await rowsSeen()).map((r) => r.reference)).not.toContain(file.s.reference);
  });

  it('records the release of what is left, once: all of it when nothing was paid, only the unpaid part after a payment', async () => {
    const { db } = w.database;
    const cancelled = await aCancelledOpportunity(w.t, { department: w.departmentId });
    const release = async (ref: string, left: string) =>
      (await w.as('finance')).post(url('releaseHeldFunds', { ref }, 'en'), { left }, pageUrl());
    // A figure the page did not show is refused: the page may be stale.
    const stale = await release(cancelled.reference, '100');
    expect(stale.status).toBe(409);
    expect(parse(stale.text).querySelector('.error-summary')?.text).toContain('has changed');
    const done = await release(cancelled.reference, '747500');
    expect(done.status).toBe(303);
    const reservation = await db('fund_reservations')
      .where({ opportunity_id: cancelled.id })
      .first();
    expect(reservation.released_at).not.toBeNull();
    expect((await rowsSeen()).map((r) => r.reference)).not.toContain(cancelled.reference);
    const again = await release(cancelled.reference, '747500');
    expect(again.status).toBe(409);
    expect(parse(again.text).querySelector('.error-summary')?.text).toContain('Nothing is left');

    // Completed and paid, with more reserved than the invoice: only the unpaid part is released.
    const file = await aCertifiedInvoice(w.t);
    await paidAndCompleted(file);
    const manager = await currentUserOf(db, w.ids.manager32);
    const amended = await db.transaction((trx) =>
      amendFundReservation(trx, manager, {
        opportunityId: file.s.id,
        amountCents: 800_000,
        reason: 'Reserved above the invoice by mistake.',
        now: w.t.clock.now(),
      }),
    );
    expect(amended.ok).toBe(true);
    const row = (await rowsSeen()).find((r) => r.reference === file.s.reference);
    expect(row?.cells.slice(3, 7)).toEqual(['$8,000.00', '$0.00', '$7,345.00', '$655.00']);
    expect((await release(file.s.reference, '65500')).status).toBe(303);
    const held = await db('fund_reservations').where({ opportunity_id: file.s.id }).first();
    expect(held.released_cents).toBe(65_500);
    expect(held.released_at).toBeNull();
    expect((await rowsSeen()).map((r) => r.reference)).not.toContain(file.s.reference);
    const events = await db('events')
      .where({ opportunity_id: file.s.id, action: 'funds_partly_released' })
      .select('actor_id');
    expect(events.map((e) => Number(e.actor_id))).toEqual([w.ids.finance]);
  });

  it('is for section 32 managers and finance officers, each seeing their departments only', async () => {
    await (await w.as('client')).client.get(pageUrl()).expect(403);
    await (await w.as('certifier')).client.get(pageUrl()).expect(403);
    const manager = await (await w.as('manager32')).client.get(pageUrl()).expect(200);
    expect(manager.text).toContain('FR-');
    await (await w.as('outsider')).client.get(pageUrl()).expect(403);
  });
});
