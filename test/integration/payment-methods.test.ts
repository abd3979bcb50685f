import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { errorsOf } from '../helpers/pages.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aDraftRequest } from '../helpers/scenarios.ts';

/**
 * The domain's three payment methods: the department chooses which it accepts (both card modes
 * need its recorded exemption), and the client picks one of those for the request.
 */
let database: TestDatabase;
let t: TestApp;
let esdc: number;
let client: number;
const PASSWORD = 'payment methods passphrase';
const SETTINGS = '/en/admin/departments/esdc';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
  const staff = (email: string, role: 'client' | 'department_admin') =>
    insertPerson(database.db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role, department: esdc }],
    });
  await staff('admin@example.gc.ca', 'department_admin');
  client = await staff('client@example.gc.ca', 'client');
});

afterAll(async () => {
  await database.drop();
});

const settings = {
  nameEn: 'ESDC department',
  nameFr: 'Ministère EDSC',
  acronymEn: 'ESDC',
  acronymFr: 'EDSC',
  costCentres: '100234\n100235',
};

describe('payment methods', () => {
  it("need the department's exemption for the card through the supplier's PayPal checkout too", async () => {
    const admin = await signIn(t.app, 'admin@example.gc.ca', PASSWORD);
    const page = parse((await admin.client.get(SETTINGS).expect(200)).text);
    expect(page.querySelectorAll('#paymentMethods label').map((l) => l.text)).toEqual([
      'Acquisition card, paid directly',
      'Acquisition card, through the supplier’s PayPal checkout',
      'PayPal payout from the department’s account',
    ]);
    const refused = await admin.post(SETTINGS, {
      ...settings,
      paymentCardPaypal: 'yes',
      cardExemptionReference: '',
    });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text)).toEqual([
      'Enter the reference of the policy exemption, or turn off both ways of paying by acquisition card.',
    ]);
    const saved = await admin.post(SETTINGS, {
      ...settings,
      paymentCardPaypal: 'yes',
      paymentPaypal: 'yes',
      cardExemptionReference: 'CFO-2026-017',
    });
    expect(saved.status).toBe(303);
    expect(await database.db('departments').where({ id: esdc }).first()).toMatchObject({
      payment_methods: ['card_paypal_checkout', 'paypal_payout'],
      card_exemption_reference: 'CFO-2026-017',
    });
  });

  it('are offered to the client as the department accepts them, in both languages', async () => {
    await database
      .db('departments')
      .where({ id: esdc })
      .update({ payment_methods: ['card_paypal_checkout', 'paypal_payout'] });
    const draft = await aDraftRequest(t, { requester: client });
    const signedIn = await signIn(t.app, 'client@example.gc.ca', PASSWORD);
    const choices = async (lang: 'en' | 'fr') =>
      parse(
        (
          await signedIn.client
            .get(url('requestStep', { ref: draft.reference, step: 5 }, lang))
            .expect(200)
        ).text,
      )
        .querySelectorAll('#paymentMethod .choice')
        .map((c) => [c.querySelector('input')!.getAttribute('value'), c.text.trim()]);
    expect(await choices('en')).toEqual([
      ['card_paypal_checkout', 'Acquisition card, through the supplier’s PayPal checkout'],
      ['paypal_payout', 'PayPal payout from the department’s account'],
    ]);
    expect(await choices('fr')).toEqual([
      ['card_paypal_checkout', 'Carte d’achat, par la page de paiement PayPal du fournisseur'],
      ['paypal_payout', 'Versement PayPal à partir du compte du ministère'],
    ]);
    const step5 = url('requestStep', { ref: draft.reference, step: 5 }, 'en');
    const form = { costCentre: '100234', fund: '1000', glAccount: '52202' };
    const notAccepted = await signedIn.post(step5, { ...form, paymentMethod: 'card_direct' });
    expect(notAccepted.status).toBe(400);
    expect(errorsOf(notAccepted.text)).toEqual([
      'Choose a payment method your department accepts.',
    ]);
    const chosen = await signedIn.post(step5, { ...form, paymentMethod: 'card_paypal_checkout' });
    expect(chosen.status).toBe(303);
    expect(
      (await database.db('opportunities').where({ id: draft.id }).first()).payment_method,
    ).toBe('card_paypal_checkout');
  });
});
