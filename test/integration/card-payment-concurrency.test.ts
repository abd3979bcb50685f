import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { errorsOf } from '../helpers/pages.ts';
import { signIn } from '../helpers/people.ts';
import {
  aPayingDepartment,
  anotherFinanceOfficer,
  cardForm,
  PAYER_PASSWORD,
  payAction,
  payPage,
  type Payers,
} from '../helpers/payment-world.ts';

/**
 * No double payment (issue 12, "How well"): 100 "pay by card" requests at once for one certified
 * invoice, from four finance officers (25 each, within the form's limit per person), against a
 * listening server, give exactly one payment; every other request is told the invoice is paid.
 */
let database: TestDatabase;
let t: TestApp;
let payers: Payers;
let server: Server;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
  server = createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.drop();
});

/** The cookie and CSRF token of a signed-in officer, read from the payment page. */
async function credentials(who: Awaited<ReturnType<typeof signIn>>, invoiceId: number) {
  const page = await who.client.get(payPage(invoiceId));
  const token = parse(page.text).querySelector('input[name="_csrf"]')?.getAttribute('value');
  const cookie = (who.client as unknown as { jar: { getCookies(a: unknown): unknown[] } }).jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .map(String)
    .join('; ');
  return { token: token!, cookie };
}

describe('100 concurrent card payments of one invoice', () => {
  it('make exactly one payment; the 99 others are refused as already paid', async () => {
    const file = await aCertifiedInvoice(t);
    const invoiceId = file.invoiceId!;
    const officers = [
      await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD),
      ...(await Promise.all(
        [1, 2, 3].map((n) => anotherFinanceOfficer(t, payers.departmentId, n)),
      )),
    ];
    const form = await cardForm(database.db, invoiceId, payers.card);
    const sessions = await Promise.all(officers.map((o) => credentials(o, invoiceId)));
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const { token, cookie } = sessions[i % sessions.length]!;
        const res = await fetch(base + payAction(invoiceId), {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ ...form, _csrf: token }),
        });
        return { status: res.status, text: await res.text() };
      }),
    );
    const elapsed = Math.round(performance.now() - started);
    const counts: Record<number, number> = {};
    for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
    const payments = await database.db('payments').where({ invoice_id: invoiceId });
    console.log(
      `100 concurrent card payments in ${elapsed} ms: statuses ${JSON.stringify(counts)}, payments recorded: ${payments.length}`,
    );
    expect(payments).toHaveLength(1);
    expect(counts).toEqual({ 303: 1, 409: 99 });
    const alreadyPaid = t.deps.translator.t('en')('payments.refusals.already_paid');
    expect(
      answers.filter((a) => a.status === 409).every((a) => errorsOf(a.text)[0] === alreadyPaid),
    ).toBe(true);
    const invoice = await database.db('invoices').where({ id: invoiceId }).first('status');
    expect(invoice.status).toBe('paid');
    expect(await database.db('outbox').where({ template: 'card-payment-made' })).toHaveLength(1);
  });
});
