import { describe, expect, it } from 'vitest';
import { CardPaymentRefused, isUniqueViolation, payByCard } from '../../src/payments/card.ts';
import {
  payByPaypal,
  retryDelayMs,
  sendPayout,
  senderBatchIdOf,
} from '../../src/payments/paypal/payouts.ts';
import { sweepPayouts } from '../../src/payments/paypal/payout-recovery.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { url } from '../../src/platform/routes.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';
import { createTestApp } from '../helpers/app.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import type { Fault } from '../helpers/fake-paypal.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { FINANCE_PASSWORD, paypalWorld } from '../helpers/paypal-world.ts';

/** Section 33 by PayPal payout, against the fake PayPal: no double payment, outages, item states. */
const w = paypalWorld();
const MINUTE = 60_000;

describe('paying a certified invoice by PayPal payout', () => {
  it('100 concurrent pay requests give exactly 1 payment record and 1 payout at the fake', async () => {
    const invoice = await w.aPayableInvoice();
    const before = w.fake.payoutsCreated();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        payByPaypal(w.payoutDeps(), invoice.finance, { invoiceId: invoice.invoiceId }),
      ),
    );
    const payments = await w.paymentsOf(invoice.invoiceId);
    // And 100 workers sending that one payment at once: the same sender_batch_id every time.
    const paymentId = Number(payments[0].id);
    await Promise.all(Array.from({ length: 100 }, () => sendPayout(w.payoutDeps(), paymentId)));
    await w.jobs();
    const payouts = w.fake.payoutsCreated() - before;
    console.log(
      `100 concurrent PayPal pay requests: ${outcomes.filter((o) => o.ok).length} accepted, ${payments.length} payment record(s); 100 concurrent sends: ${payouts} payout(s) at the fake PayPal`,
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(new Set(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.refusal.kind))).toEqual(
      new Set(['already_paid']),
    );
    expect(payments).toHaveLength(1);
    expect(payouts).toBe(1);
    const [payout] = await w.paymentsOf(invoice.invoiceId);
    expect(payout).toMatchObject({
      status: 'sent',
      method: 'paypal_payout',
      sender_batch_id: senderBatchIdOf(paymentId),
    });
    expect(payout.payout_batch_id).toBe(w.fake.batches().at(-1)!.id);
  });

  it('100 concurrent pay requests, half by card and half by PayPal: exactly 1 payment record, and a payout only if PayPal won', async () => {
    const invoice = await w.aPayableInvoice();
    const { db } = w.database;
    const [card] = await db('acquisition_cards')
      .insert({
        department_id: invoice.s.departmentId,
        cardholder_id: invoice.finance.id,
        last4: '1881',
        per_transaction_limit_cents: 1_000_000,
      })
      .returning('id');
    const { amount_cents } = await db('invoices')
      .where({ id: invoice.invoiceId })
      .first('amount_cents');
    const byCard = () =>
      db
        .transaction((trx) =>
          payByCard(
            trx,
            invoice.finance,
            {
              invoiceId: invoice.invoiceId,
              method: 'card_direct',
              cardId: Number(card.id),
              last4: '1881',
              authorizationCode: 'Z9Y8X7',
              paidOn: '2026-11-23',
              amountCents: Number(amount_cents),
            },
            w.t.clock.now(),
          ),
        )
        .then(
          () => 'card',
          (error: unknown) => {
            // Refused as already paid, or by the one-live-payment index: anything else fails.
            if (error instanceof CardPaymentRefused || isUniqueViolation(error)) return 'refused';
            throw error;
          },
        );
    const byPaypal = () =>
      payByPaypal(w.payoutDeps(), invoice.finance, { invoiceId: invoice.invoiceId }).then((o) =>
        o.ok ? 'paypal' : 'refused',
      );
    const before = w.fake.payoutsCreated();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? byCard() : byPaypal())),
    );
    await w.jobs();
    const payments = await w.paymentsOf(invoice.invoiceId);
    const winner = outcomes.filter((o) => o !== 'refused');
    const payouts = w.fake.payoutsCreated() - before;
    console.log(
      `100 concurrent pay requests (50 card, 50 PayPal): ${payments.length} payment record(s), by ${winner.join()}; ${payouts} payout(s) at the fake PayPal`,
    );
    expect(winner).toHaveLength(1);
    expect(payments).toHaveLength(1);
    expect(payouts).toBe(winner[0] === 'paypal' ? 1 : 0);
  });

  it('through the page: pending while PayPal processes, then SUCCESS settles it, the invoice is paid, the supplier emailed', async () => {
    const invoice = await w.aPayableInvoice();
    const finance = await w.signInFinance(invoice);
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'en');
    const _csrf = await finance.csrf(page);
    const pay = (form: Record<string, string>) =>
      finance.client
        .post(page)
        .type('form')
        .send({ ...form, _csrf });
    const refused = await pay({});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Tick the box to confirm the payment by PayPal.');
    expect((await pay({ confirm: 'yes' })).status).toBe(303);
    await w.jobs();
    expect((await finance.client.get(page)).text).toContain('Pending at PayPal');
    // The supplier sees the state and their next step on their payment page, in their language.
    const supplier = await signIn(w.t.app, invoice.supplier.email, SUPPLIER_PASSWORD);
    const theirs = url('supplierPayment', { id: invoice.contractId }, 'en');
    expect((await supplier.client.get(theirs)).text).toContain('PayPal is processing the payment.');
    const again = await pay({ confirm: 'yes' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already has a payment under way');
    w.fake.setItemStatus('SUCCESS', w.fake.batches().at(-1)!.items[0]!.payout_item_id);
    await w.later(2 * MINUTE);
    const [payment] = await w.paymentsOf(invoice.invoiceId);
    expect(payment).toMatchObject({ status: 'paid', item_status: 'SUCCESS' });
    const paid = await w.database.db('invoices').where({ id: invoice.invoiceId }).first('status');
    expect(paid.status).toBe('paid');
    const email = await w.database
      .db('outbox')
      .where({ template: 'paypal-payout-paid', recipient: invoice.supplier.email })
      .first();
    expect(email?.data.receiver).toBe(invoice.paypalEmail);
    expect((await finance.client.get(page)).text).toContain('PayPal paid the supplier.');
    expect((await supplier.client.get(theirs)).text).toContain('PayPal paid you.');
    for (const lang of ['en', 'fr'] as const) {
      const rendered = w.t.deps.emailRenderer.render('paypal-payout-paid', lang, email.data);
      expect(rendered.text).toContain(invoice.paypalEmail);
    }
    expect(w.t.missingKeys).toEqual([]);
  });

  it('is only for the finance officers of the invoice’s department; PayPal is off until configured', async () => {
    const invoice = await w.aPayableInvoice();
    const { db } = w.database;
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'en');
    const pspc = await insertDepartment(db, { en: 'PSPC', fr: 'SPAC' });
    const people = [
      ['finance.pspc@paypal-world.example.ca', 'finance_officer', pspc, 404],
      ['s34.esdc@paypal-world.example.ca', 'section34_manager', invoice.s.departmentId, 403],
    ] as const;
    for (const [email, role, department, status] of people) {
      await insertPerson(db, {
        email,
        password: FINANCE_PASSWORD,
        confirmedAt: w.t.clock.now(),
        grants: [{ role, department }],
      });
      const someone = await signIn(w.t.app, email, FINANCE_PASSWORD);
      expect((await someone.client.get(page)).status, role).toBe(status);
    }
    // The same database, an app without PayPal's settings: the page says so, nothing is paid.
    const off = await createTestApp(db);
    const finance = await signIn(off.app, invoice.finance.email, FINANCE_PASSWORD);
    const shown = await finance.client.get(page);
    expect(shown.text).toContain('PayPal payouts are not set up on this site');
    expect(shown.text).not.toContain('name="confirm"');
    const _csrf = await finance.csrf(page);
    const refused = await finance.client.post(page).type('form').send({ confirm: 'yes', _csrf });
    expect(refused.text).toContain(
      'PayPal payouts are not set up on this site. Pay by card instead.',
    );
    expect(await w.paymentsOf(invoice.invoiceId)).toEqual([]);
  });

  it('is refused to the invoice’s section 34 certifier, in the page’s language (sections 33 and 34)', async () => {
    const invoice = await w.aPayableInvoice();
    const { db } = w.database;
    await db('role_grants').insert({
      user_id: invoice.certifierId,
      role: 'finance_officer',
      department_id: invoice.s.departmentId,
    });
    const certifier = await currentUserOf(db, invoice.certifierId!);
    const outcome = await payByPaypal(w.payoutDeps(), certifier, { invoiceId: invoice.invoiceId });
    expect(outcome).toEqual({ ok: false, refusal: { kind: 'certifier_pays' } });
    await db('users')
      .where({ id: invoice.certifierId })
      .update({ password_hash: await hashPassword(FINANCE_PASSWORD) });
    const browser = await signIn(w.t.app, certifier.email, FINANCE_PASSWORD, 'fr');
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'fr');
    const _csrf = await browser.csrf(page);
    const refused = await browser.client.post(page).type('form').send({ confirm: 'yes', _csrf });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Vous avez attesté cette facture en vertu de l’article 34');
    expect(await w.paymentsOf(invoice.invoiceId)).toEqual([]);
  });
});

describe('a PayPal outage', () => {
  it('keeps the payment sent and retries with backoff; after recovery exactly one payout exists and the payment completes', async () => {
    const invoice = await w.aPayableInvoice();
    const before = w.fake.payoutsCreated();
    const outcome = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    expect(outcome.ok).toBe(true);
    const faults: Fault[] = [
      { status: 500 },
      { status: 503 },
      { status: 429, retryAfter: 300 },
      { status: 429 },
      'drop',
      { delayMs: 1500 },
      'create-then-500',
    ];
    w.fake.failNext(...faults);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= faults.length; attempt += 1) {
      await w.jobs();
      const [payment] = await w.paymentsOf(invoice.invoiceId);
      expect(payment).toMatchObject({
        status: 'sent',
        payout_batch_id: null,
        send_attempts: attempt,
      });
      const wait = new Date(payment.next_try_at).getTime() - w.t.clock.now().getTime();
      waits.push(wait);
      await w.later(wait - 1000);
      expect((await w.paymentsOf(invoice.invoiceId))[0].send_attempts).toBe(attempt);
      w.t.clock.set(new Date(payment.next_try_at));
    }
    console.log(`PayPal outage: retried after ${waits.map((ms) => `${ms / 1000} s`).join(', ')}`);
    // 30 s doubling, and at least what a 429's Retry-After asks (300 s).
    expect(waits).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, n === 3 ? 300_000 : undefined)),
    );
    expect(waits[2]).toBe(300_000);
    // The create that succeeded but answered 500 made the one batch; the retry adopts it.
    await w.jobs();
    expect(w.fake.payoutsCreated() - before).toBe(1);
    const [adopted] = await w.paymentsOf(invoice.invoiceId);
    expect(adopted.payout_batch_id).toBe(w.fake.batches().at(-1)!.id);
    // PayPal's status reads fail too, then answer.
    w.fake.failNextRead({ status: 503 });
    await w.later(2 * MINUTE);
    expect((await w.paymentsOf(invoice.invoiceId))[0].status).toBe('sent');
    w.fake.setItemStatus('SUCCESS', w.fake.batches().at(-1)!.items[0]!.payout_item_id);
    await w.later(10 * MINUTE);
    expect((await w.paymentsOf(invoice.invoiceId))[0].status).toBe('paid');
    expect(w.fake.payoutsCreated() - before).toBe(1);
  });

  it('stops retrying after 30 unanswered attempts, says so, and finance sends it again (same sender_batch_id)', async () => {
    const invoice = await w.aPayableInvoice();
    const finance = await w.signInFinance(invoice);
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'en');
    const _csrf = await finance.csrf(page);
    const outcome = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    if (!outcome.ok) throw new Error('not paid');
    // 29 attempts already made (a day of backoff): the 30th fails too.
    await w.database
      .db('paypal_payouts')
      .where({ payment_id: outcome.paymentId })
      .update({ send_attempts: 29 });
    w.fake.failNext({ status: 503 });
    await w.jobs();
    const [stuck] = await w.paymentsOf(invoice.invoiceId);
    expect(stuck).toMatchObject({ status: 'sent', send_attempts: 30, next_try_at: null });
    await w.later(2 * 60 * MINUTE);
    expect((await w.paymentsOf(invoice.invoiceId))[0].send_attempts).toBe(30);
    const shown = (await finance.client.get(page)).text;
    expect(shown).toContain('PayPal not reached');
    expect(shown).toContain('30 attempts; last answer: HTTP 503 SERVICE_UNAVAILABLE');
    const retry = url('retryPaypalPayout', { invoice: invoice.invoiceId }, 'en');
    expect((await finance.client.post(retry).type('form').send({ _csrf })).status).toBe(303);
    const before = w.fake.payoutsCreated();
    await w.jobs();
    expect(w.fake.payoutsCreated() - before).toBe(1);
    const [sent] = await w.paymentsOf(invoice.invoiceId);
    expect(sent.payout_batch_id).toBe(w.fake.batches().at(-1)!.id);
    const again = await finance.client.post(retry).type('form').send({ _csrf });
    expect(again.text).toContain('there is nothing to send again');
  });

  it('the sweep gives a sent payout whose job was lost a job again, and leaves one that has a job alone', async () => {
    const invoice = await w.aPayableInvoice();
    const outcome = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    if (!outcome.ok) throw new Error('not paid');
    const { db } = w.database;
    const lose = (key: string) =>
      db.raw(
        `select graphile_worker.complete_jobs(array(select id from graphile_worker.jobs where key = ?))`,
        [key],
      );
    await lose(`paypal-send-payout:${outcome.paymentId}`);
    expect(await sweepPayouts(w.payoutDeps())).toBe(1);
    expect(await sweepPayouts(w.payoutDeps())).toBe(0);
    await w.jobs();
    const [sent] = await w.paymentsOf(invoice.invoiceId);
    expect(sent.payout_batch_id).toBe(w.fake.batches().at(-1)!.id);
    await lose(`paypal-check-payout:${outcome.paymentId}`);
    expect(await sweepPayouts(w.payoutDeps())).toBe(1);
  });

  it('a documented refusal (422 INSUFFICIENT_FUNDS) fails the payment: nothing paid, finance may pay again', async () => {
    const invoice = await w.aPayableInvoice();
    await payByPaypal(w.payoutDeps(), invoice.finance, { invoiceId: invoice.invoiceId });
    w.fake.failNext({ status: 422, name: 'INSUFFICIENT_FUNDS' });
    await w.jobs();
    const [failed] = await w.paymentsOf(invoice.invoiceId);
    expect(failed).toMatchObject({ status: 'failed', item_error: 'INSUFFICIENT_FUNDS' });
    const finance = await w.signInFinance(invoice, 'fr');
    const page = url('paypalPayout', { invoice: invoice.invoiceId }, 'fr');
    expect((await finance.client.get(page)).text).toContain('Refusé par PayPal');
    const second = await payByPaypal(w.payoutDeps(), invoice.finance, {
      invoiceId: invoice.invoiceId,
    });
    expect(second.ok).toBe(true);
  });
});
