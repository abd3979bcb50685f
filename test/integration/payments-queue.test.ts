import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { queueListed } from '../helpers/pages.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
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

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
  const tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  await insertPerson(database.db, {
    email: 'finance@tbs.example.ca',
    password: PAYER_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'finance_officer', department: tbs }],
  });
});

afterAll(async () => {
  await database.drop();
});

/** The queue's row for an invoice: its cells' text. */
function rowOf(html: string, invoiceNumber: string): string[] {
  const row = parse(html)
    .querySelectorAll('tbody tr')
    .find((tr) => tr.querySelector('th a')?.textContent.trim() === invoiceNumber);
  return row
    ? row.querySelectorAll('td').map((td) => td.textContent.replace(/\s+/g, ' ').trim())
    : [];
}

describe('finance’s payments queue (issue 12, item 6)', () => {
  it('lists certified invoices with their day of the clock, due date and lateness, then paid ones', async () => {
    const file = await aCertifiedInvoice(t);
    const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
    const finance = await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);
    const queue = url('paymentsQueue', {}, 'en');

    let html = (await finance.client.get(queue)).text;
    expect(html).toContain(`href="${url('acquisitionCards', { dept: 'esdc' }, 'en')}"`);
    expect(queueListed(html, 'awaiting-payment')).toEqual([invoice.invoice_number]);
    expect(queueListed(html, 'awaiting-confirmation')).toEqual([]);
    const [, , day, due] = rowOf(html, invoice.invoice_number);
    expect(Number(day)).toBeGreaterThanOrEqual(0);
    expect(due).not.toContain('Overdue');

    // The day after the due date (noon in Toronto): overdue.
    t.clock.set(new Date(new Date(`${invoice.payment_due_on}T17:00:00Z`).getTime() + 86_400_000));
    const late = await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);
    html = (await late.client.get(queue)).text;
    expect(rowOf(html, invoice.invoice_number)).toEqual([
      invoice.supplier_legal_name,
      expect.stringMatching(/^\$[\d,]+\.\d\d$/),
      '31',
      expect.stringContaining('Overdue'),
    ]);
    // Another department's finance officer sees none of it.
    const other = await signIn(t.app, 'finance@tbs.example.ca', PAYER_PASSWORD);
    expect(queueListed((await other.client.get(queue)).text, 'awaiting-payment')).toEqual([]);

    const form = await cardForm(database.db, file.invoiceId!, payers.card);
    const paid = await late.post(payAction(file.invoiceId!), form, payPage(file.invoiceId!));
    expect(paid.status).toBe(303);
    html = (await late.client.get(url('paymentsQueue', {}, 'fr'))).text;
    expect(queueListed(html, 'awaiting-payment')).toEqual([]);
    expect(queueListed(html, 'awaiting-confirmation')).toEqual([invoice.invoice_number]);
  });
});
