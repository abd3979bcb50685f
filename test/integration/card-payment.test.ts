import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payByCard } from '../../src/payments/card.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { formatMoney } from '../../src/platform/money.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aCertifiedInvoice, aSubmittedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { errorsOf } from '../helpers/pages.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import {
  aPayingDepartment,
  cardForm,
  PAYER_PASSWORD,
  payAction,
  payPage,
  type Payers,
} from '../helpers/payment-world.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;
let payers: Payers;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
});

afterAll(async () => {
  await database.drop();
});

/** Signed in after the file is built: building it moves the clock past any session's age. */
const signedInFinance = () => signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);

const paymentsOf = (invoiceId: number) =>
  database.db('payments').where({ invoice_id: invoiceId }).orderBy('id');

/** Posts the card form on the invoice's payment page, in a language; the messages shown. */
async function pay(
  who: SignedIn,
  invoiceId: number,
  overrides: Record<string, string> = {},
  lang: Lang = 'en',
  card = payers.card,
) {
  const form = await cardForm(database.db, invoiceId, card, overrides);
  const res = await who.post(payAction(invoiceId, lang), form, payPage(invoiceId, lang));
  return { res, errors: errorsOf(res.text) };
}

const message = (lang: Lang, key: string, values?: Record<string, string>) =>
  t.deps.translator.t(lang)(`payments.refusals.${key}`, values);

describe('paying a certified invoice by acquisition card (issue 12, item 6)', () => {
  it('records the card payment, pays the invoice and tells the supplier', async () => {
    const file = await aCertifiedInvoice(t);
    const finance = await signedInFinance();
    const page = await finance.client.get(payPage(file.invoiceId!));
    expect(page.status).toBe(200);
    expect(page.text).toContain('CFO-2026-017');
    const { res } = await pay(finance, file.invoiceId!);
    expect(res.status).toBe(303);
    const [payment] = await paymentsOf(file.invoiceId!);
    expect(payment).toMatchObject({
      status: 'paid',
      method: 'card_direct',
      requested_by: payers.financeId,
      card_id: payers.card.id,
      card_last4: '1881',
      card_authorization_code: 'AUTH-0042',
      card_exemption_reference: 'CFO-2026-017',
      card_limit_increase_reference: null,
      paid_on: '2026-11-23',
    });
    const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
    expect(invoice.status).toBe('paid');
    expect(payment.amount_cents).toBe(invoice.amount_cents);
    const events = await database
      .db('events')
      .where({ opportunity_id: file.s.id })
      .whereIn('entity_type', ['payment', 'invoice'])
      .orderBy('id')
      .select('entity_type', 'action', 'to_state', 'actor_id', 'duty');
    expect(events.slice(-3)).toEqual([
      {
        entity_type: 'payment',
        action: 'create',
        to_state: 'pending',
        actor_id: payers.financeId,
        duty: null,
      },
      {
        entity_type: 'payment',
        action: 'pay_by_card',
        to_state: 'paid',
        actor_id: payers.financeId,
        duty: 'pay',
      },
      { entity_type: 'invoice', action: 'mark_paid', to_state: 'paid', actor_id: null, duty: null },
    ]);
    const emails = await database.db('outbox').where({ template: 'card-payment-made' });
    expect(emails.map((e) => e.recipient)).toEqual([file.supplier.email]);
    const email = t.deps.emailRenderer.render(emails[0].template, 'fr', emails[0].data);
    expect(email.subject).toMatch(/^Payée par carte\u00a0: facture .+ \| Paid by card: invoice /);
    expect(email.text).toContain(`/fr/contrats/${file.contractId}/paiement`);
    expect(email.text).toContain(`/en/contracts/${file.contractId}/payment`);
    expect(t.missingKeys).toEqual([]);
    const shown = await finance.client.get(payPage(file.invoiceId!));
    expect(shown.text).toContain('AUTH-0042');
    expect(shown.text).not.toContain('id="pay-by-card"');
  });

  it.each(['en', 'fr'] as const)(
    'refuses every out-of-order or wrong payment clearly (%s)',
    async (lang) => {
      // Before section 34.
      const submitted = await aSubmittedInvoice(t);
      let finance = await signedInFinance();
      const early = await pay(finance, submitted.invoiceId!, {}, lang);
      expect(early.res.status).toBe(409);
      expect(early.errors).toEqual([message(lang, 'not_certified')]);

      const file = await aCertifiedInvoice(t);
      finance = await signedInFinance();
      const id = file.invoiceId!;
      // By the section 34 certifier of the same invoice.
      const certifier = await signIn(t.app, 'certifier@esdc.example.ca', PAYER_PASSWORD);
      const byCertifier = await pay(certifier, id, {}, lang);
      expect(byCertifier.errors).toEqual([message(lang, 'certifier_pays')]);
      // For another amount than the invoice's.
      const other = await pay(finance, id, { amount: '100.00' }, lang);
      const total = await database.db('invoices').where({ id }).first('amount_cents');
      const amount = formatMoney(Number(total.amount_cents), lang);
      expect(other.errors).toEqual([message(lang, 'amount_mismatch', { amount })]);
      // A charge dated after today.
      const future = await pay(finance, id, { paidOn: '2027-01-05' }, lang);
      expect(future.errors).toEqual([message(lang, 'paid_on_future')]);
      // Last 4 digits that are not the card's.
      const digits = await pay(finance, id, { last4: '1234' }, lang);
      expect(digits.errors).toEqual([message(lang, 'last4_mismatch')]);
      // Above the card's limit, without then with the temporary increase.
      const over = await pay(finance, id, {}, lang, payers.lowLimitCard);
      const limit = formatMoney(500_000, lang);
      expect(over.errors).toEqual([message(lang, 'over_limit', { limit })]);
      expect(await paymentsOf(id)).toEqual([]);
      const raised = await pay(
        finance,
        id,
        { limitIncrease: 'INC-2026-11-07' },
        lang,
        payers.lowLimitCard,
      );
      expect(raised.res.status).toBe(303);
      expect((await paymentsOf(id))[0]).toMatchObject({
        status: 'paid',
        card_id: payers.lowLimitCard.id,
        card_limit_increase_reference: 'INC-2026-11-07',
      });
      // A second payment of the paid invoice.
      const again = await pay(finance, id, {}, lang);
      expect(again.res.status).toBe(409);
      expect(again.errors).toEqual([message(lang, 'already_paid')]);
      expect(await paymentsOf(id)).toHaveLength(1);
    },
  );

  it('refuses the requester of the work who is also a finance officer (segregation of duties)', async () => {
    const requester = await insertPerson(database.db, {
      email: 'requester-payer@esdc.example.ca',
      password: PAYER_PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [
        { role: 'client', department: payers.departmentId },
        { role: 'finance_officer', department: payers.departmentId },
      ],
    });
    const file = await aCertifiedInvoice(t, { requester });
    const payer = await signIn(t.app, 'requester-payer@esdc.example.ca', PAYER_PASSWORD, 'fr');
    const refused = await pay(payer, file.invoiceId!, {}, 'fr');
    expect(refused.res.status).toBe(409);
    // The scenario's requester evaluated the applications too: both are said.
    const tr = t.deps.translator.t('fr');
    expect(refused.errors).toEqual([
      tr('segregation.same_person_requested'),
      tr('segregation.same_person_evaluated'),
    ]);
    expect(await paymentsOf(file.invoiceId!)).toEqual([]);
  });

  it('keeps suppliers away from the payment pages and the service', async () => {
    const file = await aCertifiedInvoice(t);
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    expect((await supplier.client.get(payPage(file.invoiceId!))).status).toBe(403);
    const posted = await supplier.post(payAction(file.invoiceId!), {}, '/en/account');
    expect(posted.status).toBe(403);
    const refused = await database.db
      .transaction((trx) =>
        payByCard(
          trx,
          file.supplier,
          {
            invoiceId: file.invoiceId!,
            method: 'card_direct',
            cardId: payers.card.id,
            last4: payers.card.last4,
            authorizationCode: 'X1',
            paidOn: '2026-11-23',
            amountCents: 734_500,
          },
          t.clock.now(),
        ),
      )
      .then(
        () => 'paid',
        (error: Error) => error.message,
      );
    expect(refused).toBe('transition refused: forbidden');
    expect(await paymentsOf(file.invoiceId!)).toEqual([]);
  });

  it('puts bad input back in the form with a message in the page language', async () => {
    const file = await aCertifiedInvoice(t);
    const finance = await signedInFinance();
    const { res, errors } = await pay(
      finance,
      file.invoiceId!,
      { last4: '12', paidOn: 'tomorrow' },
      'fr',
    );
    expect(res.status).toBe(400);
    expect(errors).toEqual([
      'Saisissez exactement 4 chiffres.',
      'Saisissez la date de la transaction, par exemple 2026-11-23.',
    ]);
    expect(res.text).toContain('value="AUTH-0042"');
  });
});
