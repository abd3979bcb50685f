import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindPromptPayment } from '../../src/payments/reminders.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice, aSubmittedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { factsOf } from '../helpers/pages.ts';
import { signIn } from '../helpers/people.ts';
import {
  aPayingDepartment,
  cardForm,
  PAYER_PASSWORD,
  payAction,
  payPage,
  type Payers,
} from '../helpers/payment-world.ts';

let database: TestDatabase;
let t: TestApp;
let payers: Payers;
/** Signed in after the files are built: building one moves the clock past a session's age. */
const signedInFinance = () => signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
});

afterAll(async () => {
  await database.drop();
});

describe('completion: the supplier sees the due date and confirms receipt (issue 12, item 7)', () => {
  it('shows the payment status and due date, and confirming receipt completes the contract', async () => {
    const file = await aCertifiedInvoice(t);
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const page = url('supplierPayment', { id: file.contractId }, 'fr');
    const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
    const before = await supplier.client.get(page);
    expect(before.status).toBe(200);
    const due = t.deps.translator.t('fr')('payments.supplier.dueOn');
    expect(factsOf(before.text)[due]).toMatch(/^\d{1,2} \S+ 20\d\d$/);
    expect(before.text).not.toContain('id="confirm"');

    const finance = await signedInFinance();
    const form = await cardForm(database.db, file.invoiceId!, payers.card);
    expect(
      (await finance.post(payAction(file.invoiceId!), form, payPage(file.invoiceId!))).status,
    ).toBe(303);
    const paid = await supplier.client.get(page);
    expect(paid.text).toContain(t.deps.translator.t('fr')('payments.status.paid'));
    const payment = await database.db('payments').where({ invoice_id: invoice.id }).first();
    const confirmed = await supplier.post(
      url('confirmReceipt', { id: file.contractId }, 'fr'),
      { version: String(payment.version) },
      page,
    );
    expect(confirmed.status).toBe(303);
    expect((await database.db('payments').where({ id: payment.id }).first()).status).toBe(
      'confirmed',
    );
    expect((await database.db('contracts').where({ id: file.contractId }).first()).status).toBe(
      'completed',
    );
    // The opportunity is completed too: the funds still reserved on it show to finance.
    expect((await database.db('opportunities').where({ id: file.s.id }).first()).status).toBe(
      'completed',
    );
    const events = await database
      .db('events')
      .where({ opportunity_id: file.s.id })
      .orderBy('id', 'desc')
      .limit(3)
      .select('entity_type', 'action', 'actor_id');
    expect(events).toEqual([
      { entity_type: 'opportunity', action: 'complete', actor_id: null },
      { entity_type: 'contract', action: 'complete_contract', actor_id: null },
      { entity_type: 'payment', action: 'confirm_receipt', actor_id: file.supplier.id },
    ]);
    // A second click is refused clearly, nothing changes.
    const again = await supplier.post(
      url('confirmReceipt', { id: file.contractId }, 'fr'),
      { version: String(payment.version) },
      page,
    );
    expect(again.status).toBe(409);
    // Another supplier, or finance, cannot reach the page.
    expect((await finance.client.get(page)).status).toBe(403);
  });
});

describe('prompt-payment reminders on days 10, 20 and 25 (issue 12, item 7)', () => {
  it('reminds the section 34 managers, then the finance officers, each reminder once', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    const submitted = await aSubmittedInvoice(t);
    // The same steps from the same instant: both clocks start the same day.
    t.clock.set('2026-11-23T15:00:00Z');
    const certified = await aCertifiedInvoice(t);
    const due = async (id: number) =>
      (await database.db('invoices').where({ id }).first('payment_due_on'))
        .payment_due_on as string;
    // Both clocks started on the same Toronto day.
    expect(await due(submitted.invoiceId!)).toBe(await due(certified.invoiceId!));
    const dueDay = new Date(`${await due(submitted.invoiceId!)}T17:00:00Z`);
    const onDay = (day: number) => new Date(dueDay.getTime() - (30 - day) * 86_400_000);
    const reminders = () =>
      database
        .db('outbox')
        .where({ template: 'payment-reminder' })
        .orderBy('id')
        .select('recipient', 'idempotency_key', 'data');

    const sweep = async (day: number) => {
      t.clock.set(onDay(day));
      return remindPromptPayment(database.db, t.clock);
    };
    expect(await sweep(9)).toBe(0);
    const first = await sweep(10);
    expect(first).toBeGreaterThanOrEqual(2);
    expect(await sweep(10)).toBe(0);
    expect(await sweep(11)).toBe(0);
    const sent = await reminders();
    const recipientsOf = (invoiceId: number) =>
      sent.filter((r) => r.idempotency_key.startsWith(`payment-reminder:${invoiceId}:10:`));
    // The submitted invoice waits for section 34; the certified one for finance.
    expect(recipientsOf(submitted.invoiceId!).map((r) => r.data.duty)).toContain('certify');
    expect(recipientsOf(submitted.invoiceId!).map((r) => r.recipient)).toContain(
      'certifier@esdc.example.ca',
    );
    // The certifier, a finance officer too, is never asked to pay what they certified.
    expect(recipientsOf(certified.invoiceId!).map((r) => r.recipient)).toEqual([
      'finance@esdc.example.ca',
    ]);
    expect(recipientsOf(certified.invoiceId!).every((r) => r.data.duty === 'pay')).toBe(true);
    for (const r of [
      recipientsOf(submitted.invoiceId!)[0]!,
      recipientsOf(certified.invoiceId!)[0]!,
    ]) {
      const email = t.deps.emailRenderer.render('payment-reminder', 'en', r.data);
      expect(email.subject).toMatch(
        /^Reminder, day 10 of 30: .+ \| Rappel, jour 10 sur 30\u00a0: /,
      );
      expect(email.text).toContain(
        r.data.duty === 'pay' ? '/en/admin/payments/' : '/en/admin/certification',
      );
    }
    expect(t.missingKeys).toEqual([]);

    expect(await sweep(20)).toBe(first);
    expect(await sweep(20)).toBe(0);
    expect(await sweep(25)).toBe(first);
    expect(await sweep(26)).toBe(0);
    expect(await sweep(31)).toBe(0);
    const days = (await reminders()).map((r) => r.idempotency_key.split(':')[2]);
    expect(days.filter((d) => d === '10')).toHaveLength(first);
    expect(days.filter((d) => d === '20')).toHaveLength(first);
    expect(days.filter((d) => d === '25')).toHaveLength(first);
    t.clock.set('2026-11-23T15:00:00Z');
  });
});
