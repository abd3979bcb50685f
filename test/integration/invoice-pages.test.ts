import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceMachine } from '../../src/invoices/machine.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import { easternDate } from '../../src/platform/dates.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  aDeliveredContract,
  aSubmittedInvoice,
  aSupplierProfile,
  anAcceptedContract,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { emailsTo, SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';

/** Issue 12, item 4: the supplier's invoice pages, in both languages, and its PDF. */
let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const NB = '\u00a0';
const STAFF_PASSWORD = 'invoice pages staff passphrase';
let staff = 0;

async function staffIn(department: number, role: 'finance_officer' | 'section34_manager') {
  staff += 1;
  const email = `${role}.${staff}@invoices.example.ca`;
  const id = await insertPerson(database.db, {
    email,
    password: STAFF_PASSWORD,
    confirmedAt: t.clock.now(),
    grants: [{ role, department }],
  });
  return { id, browser: await signIn(t.app, email, STAFF_PASSWORD) };
}

const referenceOf = async (opportunityId: number) =>
  (await database.db('opportunities').where({ id: opportunityId }).first('reference')).reference;

const pdfOf = (browser: Awaited<ReturnType<typeof signIn>>, path: string) =>
  browser.client
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('the invoice page', () => {
  it('is pre-filled, previewed in both languages, submitted once, and bad input keeps what was typed', async () => {
    const file = await anAcceptedContract(t, { language: 'fr' });
    await aSupplierProfile(t, file.supplier.id);
    const reference = await referenceOf(file.s.id);
    const browser = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD, 'fr');
    const page = url('invoice', { id: file.contractId }, 'fr');
    const preview = url('invoicePreview', { id: file.contractId }, 'fr');
    // The contract page leads there once the work is accepted.
    const contract = await browser.client.get(url('contract', { id: file.contractId }, 'fr'));
    expect(contract.text).toContain(`href="${page}"`);
    const shown = await browser.client.get(page);
    expect(shown.status).toBe(200);
    const today = easternDate(t.clock.now());
    expect(fieldValue(shown.text, 'invoiceNumber')).toBe(`${reference}-1`);
    expect(fieldValue(shown.text, 'invoiceDate')).toBe(today);

    const bad: [Record<string, string>, string][] = [
      [
        { invoiceNumber: 'F-1', invoiceDate: '2099-01-01' },
        'La date de la facture ne peut pas être dans l’avenir.',
      ],
      [
        { invoiceNumber: 'F-1', invoiceDate: '2026-01-05' },
        'La date de la facture ne peut pas précéder l’acceptation des travaux.',
      ],
      [
        { invoiceNumber: 'F-1', invoiceDate: '23/11/2026' },
        'Entrez la date de la facture au format AAAA-MM-JJ, par exemple 2026-11-23.',
      ],
      [{ invoiceNumber: '   ', invoiceDate: today }, 'Entrez le numéro de la facture.'],
      [
        { invoiceNumber: 'F'.repeat(41), invoiceDate: today },
        'Saisissez 40 caractères ou moins pour le numéro de la facture.',
      ],
    ];
    for (const [form, message] of bad) {
      const res = await browser.post(preview, form, page);
      expect(res.status, message).toBe(400);
      expect(errorsOf(res.text)).toEqual([message]);
      expect(fieldValue(res.text, 'invoiceDate')).toBe(form.invoiceDate);
      expect(fieldValue(res.text, 'invoiceNumber')).toBe(form.invoiceNumber);
    }
    // The same refusals on the submission itself: nothing is written.
    expect((await browser.post(page, bad[0]![0], page)).status).toBe(400);
    expect(await database.db('invoices').where({ contract_id: file.contractId })).toEqual([]);

    const looked = await browser.post(
      preview,
      { invoiceNumber: 'F-2026/07', invoiceDate: today },
      page,
    );
    expect(looked.status).toBe(200);
    for (const text of [
      'Facture',
      'Invoice',
      'F-2026/07',
      `TVH (13${NB}%)`,
      'HST (13%)',
      `7${NB}345,00${NB}$`,
      '$7,345.00',
      'Numéro de réservation de fonds',
      'Fund reservation number',
      'Gouvernement du Canada',
    ]) {
      expect(looked.text, text).toContain(text);
    }
    expect(looked.text).toContain('lang="en"');
    expect(looked.text).toContain('/assets/css/invoice.css');

    const submitted = await browser.post(
      page,
      { invoiceNumber: 'F-2026/07', invoiceDate: today },
      page,
    );
    expect(submitted.status).toBe(303);
    const after = await browser.client.get(page);
    expect(after.text).toContain('Votre facture a été reçue le');
    expect(after.text).not.toContain('name="invoiceNumber"');
    const twice = await browser.post(
      page,
      { invoiceNumber: 'F-3', invoiceDate: today },
      url('account', {}, 'fr'),
    );
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Ce contrat a déjà sa facture');
    expect(await database.db('invoices').where({ contract_id: file.contractId })).toHaveLength(1);
    expect(t.missingKeys).toEqual([]);
  });

  it('refuses an invoice before the work is accepted, in the page’s language; the database too', async () => {
    const file = await aDeliveredContract(t);
    await aSupplierProfile(t, file.supplier.id);
    const browser = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const form = { invoiceNumber: 'EARLY-1', invoiceDate: easternDate(t.clock.now()) };
    const en = url('invoice', { id: file.contractId }, 'en');
    const fr = url('invoice', { id: file.contractId }, 'fr');
    const page = await browser.client.get(en);
    expect(page.text).toContain('You can invoice once the client has accepted the work.');
    const refusedEn = await browser.post(en, form, en);
    expect(refusedEn.status).toBe(409);
    expect(refusedEn.text).toContain('The invoice comes after the client accepts the work');
    const refusedFr = await browser.post(fr, form, fr);
    expect(refusedFr.status).toBe(409);
    expect(refusedFr.text).toContain(
      'La facture vient après l’acceptation des travaux par le client',
    );
    await expect(
      database.db('invoices').insert({
        opportunity_id: file.s.id,
        department_id: file.s.departmentId,
        contract_id: file.contractId,
        supplier_id: file.supplier.id,
        status: 'submitted',
        version: 1,
        invoice_number: 'EARLY-1',
        invoice_date: form.invoiceDate,
        received_at: t.clock.now(),
        payment_due_on: '2026-12-31',
        reservation_number: 'FR-1',
        pre_tax_cents: 650_000,
        province: 'ON',
        tax_cents: 0,
        amount_cents: 650_000,
        supplier_legal_name: 'Early',
        supplier_email: file.supplier.email,
      }),
    ).rejects.toThrow(/not accepted/);
  });

  it('says what the profile lacks and links to it', async () => {
    const file = await anAcceptedContract(t);
    const browser = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const page = await browser.client.get(url('invoice', { id: file.contractId }, 'en'));
    expect(page.text).toContain('Complete your profile first');
    expect(page.text).toContain('your legal name');
    expect(page.text).toContain('your province or territory');
    expect(page.text).toContain(`href="${url('profile', {}, 'en')}"`);
    expect(page.text).not.toContain('name="invoiceNumber"');
  });

  it('lets the supplier correct a returned invoice and submit it again', async () => {
    const file = await aSubmittedInvoice(t);
    const certifier = await staffIn(file.s.departmentId, 'section34_manager');
    const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
    await database.db.transaction((trx) =>
      currentUserOf(database.db, certifier.id).then((actor) =>
        transition(trx, invoiceMachine, {
          id: file.invoiceId!,
          action: 'return_invoice',
          actor,
          expectedVersion: invoice.version,
          now: t.clock.now(),
          reason: 'Please use your own invoice numbering.',
          reasonLang: 'en',
        }),
      ),
    );
    const browser = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const path = url('invoice', { id: file.contractId }, 'en');
    const page = await browser.client.get(path);
    expect(page.text).toContain('Your invoice was returned to you');
    expect(page.text).toContain('Please use your own invoice numbering.');
    expect(fieldValue(page.text, 'version')).toBe('2');
    const form = { invoiceNumber: 'OWN-7', invoiceDate: invoice.invoice_date, version: '2' };
    const looked = await browser.post(
      url('invoicePreview', { id: file.contractId }, 'en'),
      form,
      path,
    );
    expect(looked.text).toContain('Submit the corrected invoice');
    expect((await browser.post(path, form, path)).status).toBe(303);
    const corrected = await database.db('invoices').where({ id: file.invoiceId }).first();
    expect(corrected).toMatchObject({ status: 'submitted', invoice_number: 'OWN-7', version: 3 });
    expect(await emailsTo(t, file.supplier.email, 'invoice-received')).toHaveLength(2);
    // The same form again is stale: refused, nothing changed.
    expect((await browser.post(path, form, path)).status).toBe(409);
  });
});

describe('the invoice PDF', () => {
  it('gives both languages to the supplier and the department’s finance, and nobody else', async () => {
    const file = await aSubmittedInvoice(t);
    const reference = await referenceOf(file.s.id);
    const path = url('invoicePdf', { id: file.contractId }, 'en');
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const res = await pdfOf(supplier, path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="invoice-${reference}-1.pdf"`,
    );
    const { text } = await extractText(new Uint8Array(res.body as Buffer), { mergePages: true });
    for (const expected of [
      'Invoice',
      'Facture',
      `${reference}-1`,
      'HST (13%)',
      'TVH (13 %)',
      '$7,345.00',
      '7 345,00 $',
      '$6,500.00',
      'Government of Canada',
      'Gouvernement du Canada',
    ]) {
      expect(text.replace(/[\u00a0\u202f]/g, ' '), expected).toContain(expected);
    }

    const finance = await staffIn(file.s.departmentId, 'finance_officer');
    expect((await pdfOf(finance.browser, path)).status).toBe(200);
    // Finance reads the invoice page too, without the supplier's form.
    const read = await finance.browser.client.get(url('invoice', { id: file.contractId }, 'en'));
    expect(read.status).toBe(200);
    expect(read.text).toContain(`Invoice ${reference}-1`);
    expect(read.text).toContain('Received on');
    expect(read.text).not.toContain('name="invoiceNumber"');
    const fr = await pdfOf(finance.browser, url('invoicePdf', { id: file.contractId }, 'fr'));
    expect(fr.headers['content-disposition']).toBe(
      `attachment; filename="facture-${reference}-1.pdf"`,
    );
    // The same role in another department, and another supplier: not found.
    const tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
    expect((await pdfOf((await staffIn(tbs, 'finance_officer')).browser, path)).status).toBe(404);
    const other = file.ranked[1]!;
    const stranger = await signIn(t.app, other.email, SUPPLIER_PASSWORD);
    expect((await pdfOf(stranger, path)).status).toBe(404);
    expect((await stranger.client.get(url('invoice', { id: file.contractId }, 'en'))).status).toBe(
      404,
    );
  });
});
