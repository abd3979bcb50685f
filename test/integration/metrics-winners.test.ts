import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { saveAnswers } from '../../src/self-identification/repo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { payByCard } from '../../src/payments/card.ts';
import { formatMoney } from '../../src/platform/money.ts';
import {
  aCertifiedInvoice,
  aContractInProgress,
  type ContractFile,
} from '../helpers/contract-world.ts';
import { insertPerson } from '../helpers/people.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { factsOf } from '../helpers/pages.ts';
import { parse } from 'node-html-parser';

/**
 * Contracts through the real actions and the figures of their winners: terms accepted, work
 * completed, applications and suppliers, the total paid and the time to pay (one invoice paid by
 * card 2.5 days after its receipt), and the self-identified winners, hidden while fewer
 * than 5 people could be pointed at (4 winners), shown from the 5th.
 */
let database: TestDatabase;
let t: TestApp;
const files: ContractFile[] = [];
let amountCents = 0;

/** The winners' table: per question, yes / no / prefer not to say / not answered. */
function winnersOf(html: string): Record<string, string[]> {
  const rows = parse(html).querySelectorAll('table[data-table="winners"] tbody tr');
  return Object.fromEntries(
    rows.map((tr) => [
      tr.querySelector('th')!.textContent.trim(),
      tr.querySelectorAll('td').map((td) => td.textContent.trim()),
    ]),
  );
}

async function answerAsWinner(file: ContractFile) {
  const winner = file.ranked[0]!;
  await saveAnswers(
    t.deps.db,
    winner.applicationId,
    { outside_ncr: 'yes', equity_group: null, small_business: 'no', first_gc_contract: 'yes' },
    t.clock.now(),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const paid = await aCertifiedInvoice(t, { passers: 1 });
  files.push(paid);
  // Paid by card two and a half days after the invoice was received.
  const financeId = await insertPerson(t.deps.db, {
    email: 'finance@esdc.example.ca',
    password: 'metrics winners passphrase',
    confirmedAt: t.clock.now(),
    grants: [{ role: 'finance_officer', department: paid.s.departmentId }],
  });
  const [card] = await t.deps
    .db('acquisition_cards')
    .insert({
      department_id: paid.s.departmentId,
      cardholder_id: financeId,
      last4: '4242',
      per_transaction_limit_cents: 1_000_000,
    })
    .returning('id');
  const invoice = await t.deps.db('invoices').where({ id: paid.invoiceId }).first();
  amountCents = Number(invoice.amount_cents);
  t.clock.set(new Date(new Date(invoice.received_at).getTime() + 2.5 * 86_400_000));
  const finance = await currentUserOf(t.deps.db, financeId);
  await t.deps.db.transaction((trx) =>
    payByCard(
      trx,
      finance,
      {
        invoiceId: paid.invoiceId!,
        method: 'card_direct',
        cardId: Number(card.id),
        last4: '4242',
        authorizationCode: 'A1B2C3',
        paidOn: '2026-11-25',
        amountCents,
      },
      t.clock.now(),
    ),
  );
  for (let i = 0; i < 3; i += 1) files.push(await aContractInProgress(t, { passers: 1 }));
  for (const file of files) await answerAsWinner(file);
}, 240_000);

afterAll(async () => {
  await database?.drop();
});

const page = async (lang: 'en' | 'fr' = 'en') =>
  (
    await request(t.app)
      .get(url('metrics', {}, lang))
      .expect(200)
  ).text;

describe('the winners on the metrics page', () => {
  it('hides every self-identified count while 4 winners answered', async () => {
    const winners = winnersOf(await page());
    const hidden = 'Hidden (fewer than 5 people)';
    expect(winners['Outside the National Capital Region']).toEqual([
      hidden,
      hidden,
      hidden,
      hidden,
    ]);
    expect(winners['Small business']).toEqual([hidden, hidden, hidden, hidden]);
    expect(factsOf(await page())['Winners who accepted the terms and conditions']).toBe(
      '100% (4 of 4)',
    );
  });

  it('shows them once a 5th winner answered, and counts the contracts exactly', async () => {
    const fifth = await aContractInProgress(t, { passers: 2 });
    await answerAsWinner(fifth);
    const html = await page();
    const winners = winnersOf(html);
    expect(winners['Outside the National Capital Region']).toEqual(['5', '0', '0', '0']);
    expect(winners['Member of an under-represented group']).toEqual(['0', '0', '0', '5']);
    expect(winners['Small business']).toEqual(['0', '5', '0', '0']);
    const figures = factsOf(html);
    expect(figures['Winners who accepted the terms and conditions']).toBe('100% (5 of 5)');
    expect(figures['Contracts whose work was accepted']).toBe('20% (1 of 5)');
    expect(figures['Applications per opportunity']).toBe('1.2');
    expect(figures['Unique suppliers who applied']).toBe('6');
    expect(figures['Suppliers who applied more than once']).toBe('0% (0 of 6)');
    expect(figures['New public repositories with accepted work']).toBe('1');
    expect(figures['Opportunities published']).toBe('5');
    expect(figures['Total paid to suppliers']).toBe(formatMoney(amountCents, 'en'));
    expect(figures['Median days from invoice received to payment']).toBe('2.5');
    const journeys = parse(html).querySelectorAll('table[data-table="journeys"] tbody tr');
    expect(
      journeys[2]!
        .querySelectorAll('td')
        .map((td) => td.textContent.trim())
        .slice(0, 3),
    ).toEqual(['1', '2.5', '2.5']);
    const fr = winnersOf(await page('fr'));
    expect(fr['Petite entreprise']).toEqual(['0', '5', '0', '0']);
  });
});
