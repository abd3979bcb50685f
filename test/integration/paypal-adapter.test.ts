import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPaypalClient,
  type NewPayout,
  type PaypalClient,
} from '../../src/payments/paypal/client.ts';
import {
  PAYPAL_TEST,
  startFakePaypal,
  type Fault,
  type FakePaypal,
} from '../helpers/fake-paypal.ts';

/** Each PayPal answer and what the adapter makes of it, against the fake PayPal. */
let fake: FakePaypal;
let paypal: PaypalClient;
let n = 0;

const settings = () => ({
  baseUrl: fake.url,
  clientId: PAYPAL_TEST.clientId,
  clientSecret: PAYPAL_TEST.secret,
  webhookId: PAYPAL_TEST.webhookId,
  timeoutMs: 300,
});
const payout = (over: Partial<NewPayout> = {}): NewPayout => ({
  senderBatchId: `ma-payment-test-${(n += 1)}`,
  receiver: 'supplier@example.com',
  value: '1130.00',
  currency: 'CAD',
  note: 'test',
  emailSubject: 'test',
  ...over,
});

beforeAll(async () => {
  fake = await startFakePaypal();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.setTokenSeconds(32400);
  paypal = createPaypalClient(settings());
});

describe('OAuth2 client credentials', () => {
  it('asks for one token and reuses it until it expires', async () => {
    const before = fake.counts.tokens;
    for (let i = 0; i < 3; i += 1) expect((await paypal.createPayout(payout())).ok).toBe(true);
    expect(fake.counts.tokens - before).toBe(1);
  });

  it('asks for one token for 20 calls made at once', async () => {
    const before = fake.counts.tokens;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => paypal.createPayout(payout())),
    );
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(fake.counts.tokens - before).toBe(1);
  });

  it('asks again when expires_in has passed (less than the margin kept here)', async () => {
    fake.setTokenSeconds(30);
    const before = fake.counts.tokens;
    await paypal.createPayout(payout());
    await paypal.createPayout(payout());
    expect(fake.counts.tokens - before).toBe(2);
  });

  it('on 401 invalid_token (a token PayPal forgot), gets a new token and retries once', async () => {
    expect((await paypal.createPayout(payout())).ok).toBe(true);
    fake.expireTokens();
    const before = { tokens: fake.counts.tokens, creates: fake.payoutsCreated() };
    const answer = await paypal.createPayout(payout());
    expect(answer.ok).toBe(true);
    expect(fake.counts.tokens - before.tokens).toBe(1);
    expect(fake.payoutsCreated() - before.creates).toBe(1);
  });

  it('401 invalid_client (wrong secret): nothing sent, to be tried again later', async () => {
    const wrong = createPaypalClient({ ...settings(), clientSecret: 'wrong' });
    const before = fake.payoutsCreated();
    const answer = await wrong.createPayout(payout());
    expect(answer).toEqual({
      ok: false,
      failure: { kind: 'retry', problem: 'HTTP 401 invalid_client' },
    });
    expect(fake.payoutsCreated()).toBe(before);
  });
});

describe('create batch payout', () => {
  it('201 PENDING: the batch id', async () => {
    const answer = await paypal.createPayout(payout());
    expect(answer.ok && answer.value.adopted).toBe(false);
    expect(answer.ok && answer.value.batchId).toMatch(/^[A-Z0-9]{13}$/);
  });

  it('400 VALIDATION_ERROR (a bad receiver): refused, with its name; nothing created', async () => {
    const before = fake.payoutsCreated();
    const answer = await paypal.createPayout(payout({ receiver: 'not an email' }));
    expect(answer).toMatchObject({
      ok: false,
      failure: { kind: 'refused', status: 400, name: 'VALIDATION_ERROR' },
    });
    expect(fake.payoutsCreated()).toBe(before);
  });

  it('400 USER_BUSINESS_ERROR for a used sender_batch_id: adopts that batch, by its id only', async () => {
    const first = payout();
    const created = await paypal.createPayout(first);
    const again = await paypal.createPayout(first);
    expect(again).toEqual({
      ok: true,
      value: { batchId: created.ok && created.value.batchId, adopted: true },
    });
    // The link points at api-m.sandbox.paypal.com: we read the batch on our own base URL.
    const batch = await paypal.getBatch(again.ok ? again.value.batchId : '');
    expect(batch.ok && batch.value.batch_header.payout_batch_id).toBe(
      created.ok && created.value.batchId,
    );
  });

  const unclear: [string, Fault, string, number | undefined][] = [
    ['500', { status: 500 }, 'HTTP 500 INTERNAL_SERVER_ERROR', undefined],
    ['503', { status: 503 }, 'HTTP 503 SERVICE_UNAVAILABLE', undefined],
    ['429 with Retry-After', { status: 429, retryAfter: 7 }, 'HTTP 429 RATE_LIMIT_REACHED', 7000],
    ['429 without Retry-After', { status: 429 }, 'HTTP 429 RATE_LIMIT_REACHED', undefined],
    ['a dropped connection', 'drop', 'connection failed', undefined],
    ['no answer within the timeout', { delayMs: 1000 }, 'timeout', undefined],
    [
      '404 on a create (proves nothing)',
      { status: 404, name: 'INVALID_RESOURCE_ID' },
      'HTTP 404 INVALID_RESOURCE_ID',
      undefined,
    ],
  ];
  it.each(unclear)(
    '%s: to be retried with the same sender_batch_id',
    async (_, fault, problem, after) => {
      fake.failNext(fault);
      const answer = await paypal.createPayout(payout());
      expect(answer).toEqual({
        ok: false,
        failure: { kind: 'retry', problem, retryAfterMs: after },
      });
    },
  );

  it('a create that succeeded but answered 500: the retry adopts the one batch made', async () => {
    const same = payout();
    const before = fake.payoutsCreated();
    fake.failNext('create-then-500');
    expect((await paypal.createPayout(same)).ok).toBe(false);
    const retried = await paypal.createPayout(same);
    expect(retried.ok && retried.value.adopted).toBe(true);
    expect(fake.payoutsCreated() - before).toBe(1);
  });

  it.each([
    [422, 'INSUFFICIENT_FUNDS'],
    [403, 'SENDER_EMAIL_UNCONFIRMED'],
  ])('%i %s: refused, with its name', async (status, name) => {
    fake.failNext({ status, name });
    expect(await paypal.createPayout(payout())).toMatchObject({
      ok: false,
      failure: { kind: 'refused', status, name },
    });
  });
});

describe('status and cancel', () => {
  it('reads the batch and its item; an unknown id is 404 INVALID_RESOURCE_ID', async () => {
    const created = await paypal.createPayout(payout());
    const batch = await paypal.getBatch(created.ok ? created.value.batchId : '');
    const item = batch.ok ? batch.value.items![0]! : undefined;
    expect(item?.transaction_status).toBe('PENDING');
    fake.setItemStatus('UNCLAIMED', item!.payout_item_id);
    const read = await paypal.getItem(item!.payout_item_id);
    expect(read.ok && read.value).toMatchObject({
      transaction_status: 'UNCLAIMED',
      errors: { name: 'RECEIVER_UNREGISTERED' },
    });
    expect(await paypal.getItem('NOSUCHITEM123')).toMatchObject({
      ok: false,
      failure: { kind: 'refused', status: 404, name: 'INVALID_RESOURCE_ID' },
    });
  });

  it('cancels only an UNCLAIMED item (→ RETURNED); else ITEM_INCORRECT_STATUS, then ITEM_ALREADY_CANCELLED', async () => {
    const created = await paypal.createPayout(payout());
    const batch = await paypal.getBatch(created.ok ? created.value.batchId : '');
    const itemId = batch.ok ? batch.value.items![0]!.payout_item_id : '';
    expect(await paypal.cancelItem(itemId)).toMatchObject({
      ok: false,
      failure: { name: 'ITEM_INCORRECT_STATUS' },
    });
    fake.setItemStatus('UNCLAIMED', itemId);
    expect(await paypal.cancelItem(itemId)).toMatchObject({
      ok: true,
      value: { transaction_status: 'RETURNED' },
    });
    expect(await paypal.cancelItem(itemId)).toMatchObject({
      ok: false,
      failure: { name: 'ITEM_ALREADY_CANCELLED' },
    });
  });

  it('a 503 on a status read is to be retried', async () => {
    fake.failNextRead({ status: 503 });
    expect(await paypal.getItem('ANYITEM123456')).toMatchObject({
      ok: false,
      failure: { kind: 'retry' },
    });
  });
});
