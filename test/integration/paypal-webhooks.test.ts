import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { certUrlAllowed } from '../../src/payments/paypal/webhooks.ts';
import { payByPaypal } from '../../src/payments/paypal/payouts.ts';
import { paypalWorld } from '../helpers/paypal-world.ts';

/**
 * PayPal's webhooks at POST /webhooks/paypal, signed by the fake PayPal with a real RSA key:
 * genuine ones are accepted once, replays ignored, forged or altered ones and certificates from
 * hosts off the allow-list rejected — by self verification and by PayPal's postback.
 */
const self = paypalWorld({ verification: 'self' });
const postback = paypalWorld({ verification: 'postback' });

/** A host off the allow-list, serving PayPal's certificate. */
const elsewhere = createServer((_req, res) => res.end(self.fake.certificatePem));
afterAll(() => new Promise((resolve) => elsewhere.close(resolve)));

async function aSentPayout(w: typeof self) {
  const invoice = await w.aPayableInvoice();
  const outcome = await payByPaypal(w.payoutDeps(), invoice.finance, {
    invoiceId: invoice.invoiceId,
  });
  if (!outcome.ok) throw new Error(`not paid: ${outcome.refusal.kind}`);
  await w.jobs();
  const itemId = w.fake.batches().at(-1)!.items[0]!.payout_item_id;
  return { invoice, paymentId: outcome.paymentId, itemId };
}

const statusOf = async (w: typeof self, paymentId: number) =>
  (await w.database.db('payments').where({ id: paymentId }).first('status')).status;
const eventsKept = async (w: typeof self) =>
  Number((await w.database.db('paypal_webhook_events').count({ n: '*' }))[0]!.n);

describe.each([
  ['self verification', self],
  ['postback verification', postback],
])('webhooks, %s', (_, w) => {
  it('a genuine event is accepted once and settles the payout (its state read from PayPal); a replay is ignored', async () => {
    const { paymentId, itemId } = await aSentPayout(w);
    w.fake.setItemStatus('SUCCESS', itemId);
    const event = w.fake.itemEvent(itemId);
    const sent = await w.fake.sendWebhook(w.webhookUrl, event);
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.text)).toEqual({ received: 'new' });
    await w.jobs();
    expect(await statusOf(w, paymentId)).toBe('paid');
    const kept = await eventsKept(w);
    // PayPal's own retry, or an attacker's replay: byte for byte the same delivery.
    const replayed = await w.fake.deliver(sent.delivery);
    expect(replayed.status).toBe(200);
    expect(JSON.parse(replayed.text)).toEqual({ received: 'replayed' });
    // PayPal's resend: the same event in a new, genuinely signed transmission.
    const resent = await w.fake.sendWebhook(w.webhookUrl, event);
    expect(JSON.parse(resent.text)).toEqual({ received: 'replayed' });
    expect(await eventsKept(w)).toBe(kept);
  });

  it('a batch event (no item inside, as PayPal says) asks for a check by the batch id', async () => {
    const { paymentId, itemId } = await aSentPayout(w);
    w.fake.setItemStatus('FAILED', itemId);
    const batch = w.fake.batches().at(-1)!;
    const event = {
      id: `WH-BATCH-${batch.id}`,
      create_time: new Date().toISOString(),
      resource_type: 'payouts',
      event_type: 'PAYMENT.PAYOUTSBATCH.DENIED',
      summary: 'Payouts batch got denied.',
      resource: { batch_header: { payout_batch_id: batch.id, batch_status: 'DENIED' }, links: [] },
      links: [],
      event_version: '1.0',
      resource_version: '1.0',
    };
    expect((await w.fake.sendWebhook(w.webhookUrl, event)).status).toBe(200);
    await w.jobs();
    expect(await statusOf(w, paymentId)).toBe('failed');
  });

  it('a forged event (signed with another key) and an altered body are rejected, and change nothing', async () => {
    const { paymentId, itemId } = await aSentPayout(w);
    const kept = await eventsKept(w);
    w.fake.setItemStatus('SUCCESS', itemId);
    const forged = await w.fake.sendWebhook(w.webhookUrl, w.fake.itemEvent(itemId), {
      forge: true,
    });
    expect(forged.status).toBe(400);
    const altered = await w.fake.sendWebhook(w.webhookUrl, w.fake.itemEvent(itemId), {
      tamper: (body) => body.replace('"SUCCESS"', '"FAILED"'),
    });
    expect(altered.status).toBe(400);
    const otherListener = await w.fake.sendWebhook(w.webhookUrl, w.fake.itemEvent(itemId), {
      webhookId: 'OTHERWEBHOOK123',
    });
    expect(otherListener.status).toBe(400);
    await w.jobs();
    expect(await eventsKept(w)).toBe(kept);
    expect(await statusOf(w, paymentId)).toBe('sent');
  });

  it('an event with no signature headers is rejected; no CSRF token is asked of PayPal', async () => {
    const answer = await fetch(w.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'WH-NOSIGNATURE', event_type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED' }),
    });
    expect(answer.status).toBe(400);
  });
});

describe('the certificate', () => {
  it('must come from a host on the allow-list, over https (plain http only on loopback)', async () => {
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.2', resolve));
    const host = `127.0.0.2:${(elsewhere.address() as AddressInfo).port}`;
    const w = self;
    const { itemId } = await aSentPayout(w);
    const kept = await eventsKept(w);
    // Signed with PayPal's key, and its certificate is the right one: only its host is wrong.
    const offList = await w.fake.sendWebhook(w.webhookUrl, w.fake.itemEvent(itemId), {
      certUrl: `http://${host}/v1/notifications/certs/CERT-forged`,
    });
    expect(offList.status).toBe(400);
    expect(await eventsKept(w)).toBe(kept);
    expect(
      certUrlAllowed('https://api-m.paypal.com/v1/notifications/certs/CERT-1', [
        'api-m.paypal.com',
      ]),
    ).toBe(true);
    expect(
      certUrlAllowed('http://api-m.paypal.com/v1/notifications/certs/CERT-1', ['api-m.paypal.com']),
    ).toBe(false);
    expect(
      certUrlAllowed('https://api-m.paypal.com.evil.example/CERT-1', ['api-m.paypal.com']),
    ).toBe(false);
    expect(certUrlAllowed('https://user@api-m.paypal.com/CERT-1', ['api-m.paypal.com'])).toBe(
      false,
    );
  });
});
