import { describe, expect, it } from 'vitest';
import { payByCard } from '../../src/payments/card.ts';
import { payByPaypal } from '../../src/payments/paypal/payouts.ts';
import { url } from '../../src/platform/routes.ts';
import { paypalWorld } from '../helpers/paypal-world.ts';

/** PayPal's item states, each with finance's next step; an unclaimed payout cancelled, then paid by card. */
const w = paypalWorld();
const MINUTE = 60_000;

describe("PayPal's item states", () => {
  const cases: [string, 'sent' | 'failed', string][] = [
    ['PENDING', 'sent', 'Pending at PayPal'],
    ['ONHOLD', 'sent', 'PayPal is reviewing the payout.'],
    ['UNCLAIMED', 'sent', 'cancel the payout and pay by card'],
    ['FAILED', 'failed', 'PayPal could not pay'],
    ['BLOCKED', 'failed', 'PayPal blocked the payout'],
    ['RETURNED', 'failed', 'The money came back'],
  ];
  it.each(cases)(
    '%s: the payment is %s, finance reads its next step',
    async (state, status, next) => {
      const invoice = await w.aPayableInvoice();
      await payByPaypal(w.payoutDeps(), invoice.finance, { invoiceId: invoice.invoiceId });
      await w.jobs();
      w.fake.setItemStatus(state as 'PENDING', w.fake.batches().at(-1)!.items[0]!.payout_item_id);
      await w.later(2 * MINUTE);
      const [payment] = await w.paymentsOf(invoice.invoiceId);
      expect(payment).toMatchObject({ status, item_status: state });
      const finance = await w.signInFinance(invoice);
      const text = (
        await finance.client.get(url('paypalPayout', { invoice: invoice.invoiceId }, 'en'))
      ).text;
      expect(text).toContain(next);
    },
  );

  it('an unclaimed payout is cancelled (PayPal answers RETURNED), then the invoice is paid by card', async () => {
    const invoice = await w.aPayableInvoice();
    const finance = await w.signInFinance(invoice);
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'en');
    const _csrf = await finance.csrf(page);
    await payByPaypal(w.payoutDeps(), invoice.finance, { invoiceId: invoice.invoiceId });
    await w.jobs();
    const itemId = w.fake.setItemStatus(
      'PENDING',
      w.fake.batches().at(-1)!.items[0]!.payout_item_id,
    );
    await w.later(2 * MINUTE);
    const cancel = url('cancelPaypalPayout', { invoice: invoice.invoiceId }, 'en');
    const [pending] = await w.paymentsOf(invoice.invoiceId);
    // Not unclaimed: PayPal would answer ITEM_INCORRECT_STATUS; no cancel button, and refused.
    expect((await finance.client.get(page)).text).not.toContain('Cancel the unclaimed payout');
    const version = async () =>
      String((await w.database.db('payments').where({ id: pending.id }).first('version')).version);
    const early = await finance.client
      .post(cancel)
      .type('form')
      .send({ version: await version(), _csrf });
    expect(early.text).toContain('no longer unclaimed');
    w.fake.setItemStatus('UNCLAIMED', itemId);
    await w.later(10 * MINUTE);
    const [unclaimed] = await w.paymentsOf(invoice.invoiceId);
    expect((await finance.client.get(page)).text).toContain('Cancel the unclaimed payout');
    const cancelled = await finance.client
      .post(cancel)
      .type('form')
      .send({ version: await version(), _csrf });
    expect(cancelled.status).toBe(303);
    expect(w.fake.itemStatus(itemId)).toBe('RETURNED');
    expect((await w.paymentsOf(invoice.invoiceId))[0].status).toBe('cancelled');
    expect((await finance.client.get(page)).text).toContain('Pay the invoice by card.');
    // The cancelled payout is not live: the invoice is now paid by card (src/payments/card.ts).
    const { db } = w.database;
    const [card] = await db('acquisition_cards')
      .insert({
        department_id: invoice.s.departmentId,
        cardholder_id: invoice.finance.id,
        last4: '4242',
        per_transaction_limit_cents: 1_000_000,
      })
      .returning('id');
    await db.transaction((trx) =>
      payByCard(
        trx,
        invoice.finance,
        {
          invoiceId: invoice.invoiceId,
          method: 'card_direct',
          cardId: Number(card.id),
          last4: '4242',
          authorizationCode: 'A1B2C3',
          paidOn: '2026-11-23',
          amountCents: Number(unclaimed.amount_cents),
        },
        w.t.clock.now(),
      ),
    );
    const statuses = (await w.paymentsOf(invoice.invoiceId)).map((p) => [p.method, p.status]);
    expect(statuses).toEqual([
      ['paypal_payout', 'cancelled'],
      ['card_direct', 'paid'],
    ]);
  });
});
