import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../src/demo/loader.ts';
import { easternDate } from '../../src/platform/dates.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/people.ts';

/**
 * A newcomer walks the end of the cycle with the demo accounts, as the README says: each demo
 * contract after the award is one step from the next, and the person the README names takes it
 * through the pages — the client accepts the delivered work, the section 34 manager certifies
 * the invoice, finance pays the certified one by card and reads the PayPal one's page, the
 * supplier confirms the money arrived.
 */
const PASSWORD = 'demo walk passphrase 2026';
let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db, { now: '2026-11-23T15:00:00Z' });
  await seedDemoOnce(t.deps, PASSWORD);
});

afterAll(async () => {
  await database.drop();
});

async function fileOf(title: string) {
  const { db } = database;
  const o = await db('opportunities').where({ title_en: title }).first('id', 'reference');
  const contract = await db('contracts').where({ opportunity_id: o.id }).first('id', 'status');
  const invoice = await db('invoices').where({ opportunity_id: o.id }).first('id', 'amount_cents');
  return { reference: o.reference as string, contract, invoice };
}

const versionOn = (html: string) =>
  parse(html).querySelector('input[name="version"]')?.getAttribute('value') ?? '';

const as = (email: string, lang: Lang) => signIn(t.app, email, PASSWORD, lang);

describe('the demo’s end of the cycle', () => {
  it('the client accepts the delivered work from its review page', async () => {
    const { contract } = await fileOf('Accessible error summary in the benefits estimator');
    const client = await as('client@esdc.example.ca', 'fr');
    const page = url('contractReview', { id: contract.id }, 'fr');
    const shown = await client.client.get(page).expect(200);
    const form: Record<string, string> = { version: versionOn(shown.text), decision: 'accept' };
    for (const input of parse(shown.text).querySelectorAll('input[type=radio][value=yes]')) {
      form[input.getAttribute('name')!] = 'yes';
    }
    expect((await client.post(page, form, page)).status).toBe(303);
    const after = await database.db('contracts').where({ id: contract.id }).first('status');
    expect(after.status).toBe('accepted');
  });

  it('the section 34 manager finds the invoice in the queue and certifies it', async () => {
    const { reference } = await fileOf('Calendar file for booked appointments');
    const manager = await as('s34@esdc.example.ca', 'en');
    const queue = await manager.client.get(url('certificationQueue', {}, 'en')).expect(200);
    expect(queue.text).toContain(reference);
    const evidence = url('certificationEvidence', { ref: reference }, 'en');
    const shown = await manager.client.get(evidence).expect(200);
    const res = await manager.post(
      url('certifyInvoice', { ref: reference }, 'en'),
      { attest: 'yes', version: versionOn(shown.text) },
      evidence,
    );
    expect(res.status).toBe(303);
  });

  it('finance pays the certified invoice with the demo card; the supplier confirms receipt', async () => {
    const { contract, invoice, reference } = await fileOf(
      'Broken link report in the content publishing workflow',
    );
    const paypal = await fileOf('Shared Renovate configuration for our Node.js repositories');
    const finance = await as('finance@esdc.example.ca', 'fr');
    const queue = await finance.client.get(url('paymentsQueue', {}, 'fr')).expect(200);
    expect(queue.text).toContain(reference);
    expect(queue.text).toContain(paypal.reference);
    // PayPal is off in the demo (not configured): its page says so and still answers.
    await finance.client.get(url('paypalPayout', { invoice: paypal.invoice.id }, 'fr')).expect(200);

    const page = url('invoicePayment', { invoice: invoice.id }, 'fr');
    const shown = parse((await finance.client.get(page).expect(200)).text);
    const card = shown.querySelector('#card option[value]:not([value=""])');
    expect(shown.text).toContain('CFO-2021-04');
    const paid = await finance.post(
      url('payByCard', { invoice: invoice.id }, 'fr'),
      {
        method: 'card_direct',
        card: card!.getAttribute('value')!,
        last4: '4821',
        authorizationCode: 'DEMO-01',
        paidOn: easternDate(t.clock.now()),
        amount: (Number(invoice.amount_cents) / 100).toFixed(2),
      },
      page,
    );
    expect(paid.status).toBe(303);

    const supplier = await as('ada@supplier.example.com', 'en');
    const paymentPage = url('supplierPayment', { id: contract.id }, 'en');
    const before = await supplier.client.get(paymentPage).expect(200);
    const confirmed = await supplier.post(
      url('confirmReceipt', { id: contract.id }, 'en'),
      { version: versionOn(before.text) },
      paymentPage,
    );
    expect(confirmed.status).toBe(303);
    const after = await database.db('contracts').where({ id: contract.id }).first('status');
    expect(after.status).toBe('completed');
  });

  it('the completed contract’s pages answer its supplier and its client', async () => {
    const { contract } = await fileOf('Service outage banner for our online services');
    expect(contract.status).toBe('completed');
    for (const [email, lang] of [
      ['ada@supplier.example.com', 'en'],
      ['client@esdc.example.ca', 'fr'],
    ] as const) {
      const person = await as(email, lang);
      await person.client.get(url('contract', { id: contract.id }, lang)).expect(200);
    }
  });
});
