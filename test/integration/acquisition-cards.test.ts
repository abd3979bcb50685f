import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { anAcceptedContract } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { errorsOf } from '../helpers/pages.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aPayingDepartment, PAYER_PASSWORD, type Payers } from '../helpers/payment-world.ts';

let database: TestDatabase;
let t: TestApp;
let payers: Payers;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
  await insertPerson(database.db, {
    email: 'admin@esdc.example.ca',
    password: PAYER_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'department_admin', department: payers.departmentId }],
  });
});

afterAll(async () => {
  await database.drop();
});

describe('the department’s acquisition cards (issue 12, item 6)', () => {
  it('lets the department administrator add a card for a finance officer, once', async () => {
    const admin = await signIn(t.app, 'admin@esdc.example.ca', PAYER_PASSWORD, 'fr');
    const page = url('acquisitionCards', { dept: 'esdc' }, 'fr');
    const shown = await admin.client.get(page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Fatima Finance');
    const card = { cardholder: String(payers.financeId), last4: '0005', limit: '2 500,00' };
    const added = await admin.post(page, card);
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`${page}?done=added`);
    const row = await database.db('acquisition_cards').where({ last4: '0005' }).first();
    expect(row).toMatchObject({
      department_id: payers.departmentId,
      cardholder_id: payers.financeId,
      per_transaction_limit_cents: 250_000,
      active: true,
    });
    expect((await admin.post(page, card)).headers.location).toBe(`${page}?done=exists`);
    expect(await database.db('acquisition_cards').where({ last4: '0005' })).toHaveLength(1);
  });

  it('refuses a bad card in the page language, with what was typed', async () => {
    const admin = await signIn(t.app, 'admin@esdc.example.ca', PAYER_PASSWORD, 'fr');
    const page = url('acquisitionCards', { dept: 'esdc' }, 'fr');
    const res = await admin.post(page, {
      cardholder: String(payers.certifierId + 1000),
      last4: '12345',
      limit: 'beaucoup',
    });
    expect(res.status).toBe(400);
    expect(errorsOf(res.text)).toEqual([
      'Choisissez le ou la titulaire de la carte.',
      'Saisissez exactement 4 chiffres.',
      'Saisissez la limite par transaction en dollars, par exemple 10\u00a0000,00.',
    ]);
    expect(res.text).toContain('value="beaucoup"');
    // A whole card number is never taken, not even in the last 4 digits' field.
    const number = await admin.post(page, {
      cardholder: String(payers.financeId),
      last4: '4111111111111111',
      limit: '100',
    });
    expect(number.status).toBe(400);
    expect(number.text).not.toContain('4111111111111111');
  });

  it('is linked from the finance officer’s work queues and the supplier’s contract page', async () => {
    const file = await anAcceptedContract(t);
    const finance = await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);
    const queues = await finance.client.get(url('workQueues', {}, 'en'));
    expect(queues.text).toContain(`href="${url('paymentsQueue', {}, 'en')}"`);
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const contract = await supplier.client.get(url('contract', { id: file.contractId }, 'en'));
    expect(contract.text).toContain(
      `href="${url('supplierPayment', { id: file.contractId }, 'en')}"`,
    );
  });
});
