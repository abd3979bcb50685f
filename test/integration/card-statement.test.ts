import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementColumns } from '../../src/payments/statement.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
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

async function paid(paidOn: string, authorizationCode: string) {
  const file = await aCertifiedInvoice(t);
  const form = await cardForm(database.db, file.invoiceId!, payers.card, {
    paidOn,
    authorizationCode,
  });
  const finance = await signedInFinance();
  const res = await finance.post(payAction(file.invoiceId!), form, payPage(file.invoiceId!));
  expect(res.status).toBe(303);
  return file;
}

describe('card statement reconciliation (issue 12, item 8)', () => {
  it('lists a card’s payments of the month as CSV, with the section 32 and 34 references', async () => {
    const first = await paid('2026-11-23', 'AUTH-1');
    await paid('2026-11-20', 'AUTH-2');
    const finance = await signedInFinance();
    const month = { card: payers.card.id, month: '2026-11' };
    const res = await finance.client.get(url('cardStatementCsv', month, 'en'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('card-1881-2026-11.csv');
    const rows = parse(res.text, { bom: true }) as string[][];
    expect(rows[0]).toEqual([...statementColumns]);
    expect(rows[0]).toEqual([
      'date',
      'amount',
      'currency',
      'card_last4',
      'authorization_code',
      'merchant',
      'invoice_number',
      'section32_reservation',
      'section34_certification',
      'matched_to_statement',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[4]])).toEqual([
      ['2026-11-20', 'AUTH-2'],
      ['2026-11-23', 'AUTH-1'],
    ]);
    const invoice = await database.db('invoices').where({ id: first.invoiceId }).first();
    const certification = await database
      .db('invoice_certifications')
      .where({ invoice_id: first.invoiceId })
      .first('id');
    expect(rows[2]).toEqual([
      '2026-11-23',
      (invoice.amount_cents / 100).toFixed(2),
      'CAD',
      '1881',
      'AUTH-1',
      invoice.supplier_legal_name,
      invoice.invoice_number,
      invoice.reservation_number,
      `S34-${String(certification.id).padStart(6, '0')}`,
      '',
    ]);
    // Another month, another card: nothing.
    const december = await finance.client.get(
      url('cardStatementCsv', { card: payers.card.id, month: '2026-12' }, 'en'),
    );
    expect(december.text.trimEnd().split('\r\n')).toHaveLength(1);
    const other = await finance.client.get(
      url('cardStatementCsv', { card: payers.lowLimitCard.id, month: '2026-11' }, 'en'),
    );
    expect(other.text.trimEnd().split('\r\n')).toHaveLength(1);
  });

  it('marks a line as matched to the statement (POST, CSRF), by whom and when', async () => {
    const finance = await signedInFinance();
    const page = url('cardStatement', { card: payers.card.id, month: '2026-11' }, 'fr');
    const payment = await database
      .db('payments')
      .where({ card_id: payers.card.id })
      .orderBy('id')
      .first('id');
    const noToken = await finance.client
      .post(url('matchStatementLine', { card: payers.card.id, month: '2026-11' }, 'fr'))
      .type('form')
      .send({ payment: String(payment.id), matched: 'yes' });
    expect(noToken.status).toBe(403);
    const res = await finance.post(
      url('matchStatementLine', { card: payers.card.id, month: '2026-11' }, 'fr'),
      { payment: String(payment.id), matched: 'yes' },
      page,
    );
    expect(res.status).toBe(303);
    const row = await database.db('payments').where({ id: payment.id }).first();
    expect(row.statement_matched_by).toBe(payers.financeId);
    expect(row.statement_matched_at).toEqual(t.clock.now());
    const shown = await finance.client.get(page);
    expect(shown.text).toContain('Rapproché par Fatima Finance');
    const csv = await finance.client.get(
      url('cardStatementCsv', { card: payers.card.id, month: '2026-11' }, 'fr'),
    );
    expect(csv.text).toContain(t.clock.now().toISOString());
  });

  it('shows a card’s statement to its department’s finance officers only', async () => {
    const finance = await signedInFinance();
    const certifier = await signIn(t.app, 'certifier@esdc.example.ca', PAYER_PASSWORD);
    const page = url('cardStatement', { card: payers.card.id, month: '2026-11' }, 'en');
    expect((await certifier.client.get(page)).status).toBe(200);
    expect(
      (await finance.client.get(url('cardStatement', { card: 999, month: '2026-11' }, 'en')))
        .status,
    ).toBe(404);
    expect(
      (
        await finance.client.get(
          url('cardStatement', { card: payers.card.id, month: '2026-13' }, 'en'),
        )
      ).status,
    ).toBe(404);
  });
});
