import { describe, expect, it } from 'vitest';
import { presentAuditRows } from '../../src/audit/present.ts';
import { auditEvents } from '../../src/audit/repo.ts';
import { auditFilters } from '../../src/audit/schemas.ts';
import { cancelUnclaimed } from '../../src/payments/paypal/payout-recovery.ts';
import { payByPaypal } from '../../src/payments/paypal/payouts.ts';
import { url } from '../../src/platform/routes.ts';
import { paypalWorld } from '../helpers/paypal-world.ts';

/**
 * PayPal's states of a payout are recorded through the lifecycle (src/lifecycle/reported-state.ts):
 * each change is an event of the paypal_payout, from → to, the system acting, labelled in the
 * audit log in both languages; the same state read again records nothing.
 */
const w = paypalWorld();
const MINUTE = 60_000;

async function trailOf(paymentId: number) {
  return w.database
    .db('events')
    .where({ entity_type: 'paypal_payout', entity_id: paymentId })
    .orderBy('id')
    .select('action', 'from_state', 'to_state', 'actor_id', 'opportunity_id', 'department_id');
}

describe('the event trail of a PayPal payout', () => {
  it('records PENDING → UNCLAIMED → SUCCESS once each, by the system, shown in the audit log', async () => {
    const invoice = await w.aPayableInvoice();
    const paid = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    if (!paid.ok) throw new Error(paid.refusal.kind);
    await w.jobs();
    const itemId = w.fake.setItemStatus(
      'PENDING',
      w.fake.batches().at(-1)!.items[0]!.payout_item_id,
    );
    await w.later(2 * MINUTE);
    await w.later(5 * MINUTE); // read again, still PENDING: no new event
    w.fake.setItemStatus('UNCLAIMED', itemId);
    await w.later(10 * MINUTE);
    w.fake.setItemStatus('SUCCESS', itemId);
    await w.later(20 * MINUTE);

    const trail = await trailOf(paid.paymentId);
    expect(trail.map((e) => [e.action, e.from_state, e.to_state])).toEqual([
      ['payout_batch_status', null, 'PENDING'],
      ['payout_item_status', null, 'PENDING'],
      ['payout_item_status', 'PENDING', 'UNCLAIMED'],
      ['payout_item_status', 'UNCLAIMED', 'SUCCESS'],
    ]);
    const [payment] = await w.paymentsOf(invoice.invoiceId);
    expect(payment).toMatchObject({ status: 'paid', item_status: 'SUCCESS' });
    const file = await w.database
      .db('payments')
      .where({ id: paid.paymentId })
      .first('opportunity_id', 'department_id');
    for (const e of trail) expect(e).toMatchObject({ actor_id: null, ...file });

    const rows = await auditEvents(
      w.database.db,
      { opportunityId: Number(file.opportunity_id) },
      auditFilters.parse({}),
    );
    const shown = (lang: 'en' | 'fr') =>
      presentAuditRows(rows, true, lang, w.t.deps.translator.t(lang))
        .filter((r) => r.action.startsWith('payout_'))
        .map((r) => [r.who, r.what, r.from, r.to])
        .reverse();
    expect(shown('en').slice(-2)).toEqual([
      ['System', 'PayPal’s state of the payout changed', 'Pending at PayPal', 'Unclaimed'],
      ['System', 'PayPal’s state of the payout changed', 'Unclaimed', 'Paid by PayPal'],
    ]);
    expect(shown('fr').slice(-2)).toEqual([
      ['Système', 'État du versement chez PayPal modifié', 'En attente chez PayPal', 'Non réclamé'],
      ['Système', 'État du versement chez PayPal modifié', 'Non réclamé', 'Payé par PayPal'],
    ]);
    expect(w.t.missingKeys).toEqual([]);
    const finance = await w.signInFinance(invoice);
    expect(
      (await finance.client.get(url('paypalPayout', { invoice: invoice.invoiceId }, 'en'))).status,
    ).toBe(200);
  });

  it('records UNCLAIMED → RETURNED when finance cancels an unclaimed payout', async () => {
    const invoice = await w.aPayableInvoice();
    const paid = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    if (!paid.ok) throw new Error(paid.refusal.kind);
    await w.jobs();
    w.fake.setItemStatus('UNCLAIMED', w.fake.batches().at(-1)!.items[0]!.payout_item_id);
    await w.later(2 * MINUTE);
    const { version } = await w.database.db('payments').where({ id: paid.paymentId }).first();
    expect(
      await cancelUnclaimed(w.payoutDeps(), invoice.finance, {
        paymentId: paid.paymentId,
        version,
      }),
    ).toEqual({ ok: true });
    const trail = await trailOf(paid.paymentId);
    expect(trail.map((e) => [e.action, e.from_state, e.to_state, e.actor_id])).toEqual([
      ['payout_batch_status', null, 'PENDING', null],
      // PayPal has processed the batch; its one item waits for the supplier to claim it.
      ['payout_batch_status', 'PENDING', 'SUCCESS', null],
      ['payout_item_status', null, 'UNCLAIMED', null],
      ['payout_item_status', 'UNCLAIMED', 'RETURNED', null],
    ]);
    expect((await w.paymentsOf(invoice.invoiceId))[0]).toMatchObject({
      status: 'cancelled',
      item_status: 'RETURNED',
    });
  });
});
