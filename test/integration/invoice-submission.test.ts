import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceTax } from '../../src/invoices/tax.ts';
import { submitInvoice } from '../../src/invoices/service.ts';
import { TransitionError } from '../../src/lifecycle/transition.ts';
import { easternDate } from '../../src/platform/dates.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  aSubmittedInvoice,
  aSupplierProfile,
  anAcceptedContract,
  type InvoiceOptions,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { emailsTo } from '../helpers/offers-world.ts';
import { staffFor } from '../helpers/scenario-people.ts';

/**
 * Issue 12, item 4: the invoice the supplier submits for accepted work — the tax of their
 * province and registration on the invoice date, the prompt-payment clock, and the fund
 * reservation that follows the invoice's real total.
 */
let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const PRICE = 650_000;
const invoiceOf = (id: number) => database.db('invoices').where({ id }).first();
const reservationOf = (opportunityId: number) =>
  database.db('fund_reservations').where({ opportunity_id: opportunityId }).first();
const eventsOf = (opportunityId: number, action: string) =>
  database.db('events').where({ opportunity_id: opportunityId, action }).orderBy('id');

async function invoiced(options: InvoiceOptions) {
  const file = await aSubmittedInvoice(t, options);
  return { file, invoice: await invoiceOf(file.invoiceId!) };
}

describe('the tax on the invoice', () => {
  it('is the GST/HST of the supplier’s province on the invoice date, and none when unregistered', async () => {
    const cases: [InvoiceOptions, string | null, number, number][] = [
      [{ province: 'ON' }, 'HST', 1300, 84_500],
      [{ province: 'AB' }, 'GST', 500, 32_500],
      // Federal departments pay the GST only in Quebec, never the QST.
      [{ province: 'QC' }, 'GST', 500, 32_500],
      // Nova Scotia's HST went from 15% to 14% on 2025-04-01.
      [{ province: 'NS' }, 'HST', 1400, 91_000],
      [{ province: 'BC', gstHstNumber: null }, null, 0, 0],
      [{ province: 'NS', gstHstNumber: null }, null, 0, 0],
    ];
    for (const [options, kind, basisPoints, tax] of cases) {
      const { invoice } = await invoiced(options);
      expect(invoice, JSON.stringify(options)).toMatchObject({
        province: options.province,
        tax_kind: kind,
        tax_basis_points: basisPoints,
        pre_tax_cents: PRICE,
        tax_cents: tax,
        amount_cents: PRICE + tax,
        gst_hst_number: options.gstHstNumber === null ? null : '123456789RT0001',
      });
    }
    // The rate of the invoice's date, from the dated table: Nova Scotia either side of the change.
    const registered = { province: 'NS' as const, gstHstNumber: '123456789RT0001' };
    expect(await invoiceTax(database.db, PRICE, registered, '2025-03-31')).toEqual({
      kind: 'HST',
      basisPoints: 1500,
      taxCents: 97_500,
      totalCents: 747_500,
    });
    expect((await invoiceTax(database.db, PRICE, registered, '2025-04-01')).basisPoints).toBe(1400);
  });
});

describe('submitting the invoice', () => {
  it('is received now, starts the 30-day clock from the later of acceptance and receipt, and tells the supplier and section 34', async () => {
    const file = await anAcceptedContract(t);
    await aSupplierProfile(t, file.supplier.id);
    const certifier = await staffFor(database.db, file.s.departmentId, 'section34_manager', {
      now: t.clock.now(),
    });
    // Received weeks after the acceptance: the clock runs from the receipt.
    t.clock.set(new Date('2026-12-20T16:00:00Z'));
    const invoiceId = await database.db.transaction(async (trx) => {
      const done = await submitInvoice(trx, file.supplier, {
        contractId: file.contractId,
        invoiceNumber: 'ACME-0042',
        invoiceDate: '2026-12-20',
        now: t.clock.now(),
      });
      return done.invoiceId;
    });
    const invoice = await invoiceOf(invoiceId);
    expect(invoice).toMatchObject({
      status: 'submitted',
      invoice_number: 'ACME-0042',
      invoice_date: '2026-12-20',
      payment_due_on: '2027-01-19',
      supplier_legal_name: `Supplier ${file.supplier.id} Inc.`,
      supplier_email: file.supplier.email,
    });
    expect(invoice.received_at).toEqual(new Date('2026-12-20T16:00:00Z'));
    const [created] = await database
      .db('events')
      .where({ entity_type: 'invoice', entity_id: invoiceId });
    expect(created).toMatchObject({ action: 'invoice', to_state: 'submitted' });
    expect(created.actor_id).toBe(file.supplier.id);

    const [ack] = await emailsTo(t, file.supplier.email, 'invoice-received');
    const sent = t.deps.emailRenderer.render('invoice-received', 'en', ack!.data);
    expect(sent.text).toContain('We received your invoice ACME-0042 for $7,345.00');
    expect(sent.text).toContain('Payment is due by January 19, 2027');
    expect(sent.text).toContain('Le paiement est dû au plus tard le 19 janvier 2027');
    // The section 34 managers' queue notice, linking to the invoice's evidence page.
    const { email } = await database.db('users').where({ id: certifier }).first('email');
    const [queued] = await emailsTo(t, email, 'invoice-to-certify');
    const notice = t.deps.emailRenderer.render('invoice-to-certify', 'fr', queued!.data).text;
    expect(notice).toContain(
      'Le fournisseur a soumis la facture ACME-0042 de 7\u00a0345,00\u00a0$',
    );
    const { reference } = await database.db('opportunities').where({ id: file.s.id }).first();
    expect(notice).toContain(`/fr/admin/attestation/${reference}`);
    expect(t.missingKeys).toEqual([]);
  });

  it('refuses a second invoice for the same contract, and the database refuses it too', async () => {
    const { file, invoice } = await invoiced({});
    const again = database.db.transaction((trx) =>
      submitInvoice(trx, file.supplier, {
        contractId: file.contractId,
        invoiceNumber: 'SECOND-1',
        invoiceDate: invoice.invoice_date,
        now: t.clock.now(),
      }),
    );
    await expect(again).rejects.toThrow(TransitionError);
    await expect(again).rejects.toMatchObject({
      failure: { kind: 'guard', failure: { code: 'invoice_exists' } },
    });
    // The database holds one invoice per contract whatever the code does.
    const copy = { ...invoice, id: undefined };
    await expect(database.db('invoices').insert(copy)).rejects.toThrow(/unique/);
    expect(await database.db('invoices').where({ contract_id: file.contractId })).toHaveLength(1);
  });
});

describe('submitting twice at once', () => {
  it('gives one invoice, one reservation change and one acknowledgment; every other attempt is refused', async () => {
    const file = await anAcceptedContract(t);
    await aSupplierProfile(t, file.supplier.id);
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        database.db.transaction((trx) =>
          submitInvoice(trx, file.supplier, {
            contractId: file.contractId,
            invoiceNumber: `RACE-${i}`,
            invoiceDate: easternDate(t.clock.now()),
            now: t.clock.now(),
          }),
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect((attempt as PromiseRejectedResult).reason).toMatchObject({
        failure: { kind: 'guard', failure: { code: 'invoice_exists' } },
      });
    }
    expect(await database.db('invoices').where({ contract_id: file.contractId })).toHaveLength(1);
    expect(await eventsOf(file.s.id, 'funds_adjusted_to_invoice')).toHaveLength(1);
    expect(await emailsTo(t, file.supplier.email, 'invoice-received')).toHaveLength(1);
  });
});

describe('the fund reservation follows the invoice', () => {
  it('comes down from the 15% reserved to the real total, as an event, without an email', async () => {
    const { file, invoice } = await invoiced({ province: 'AB' });
    expect((await reservationOf(file.s.id)).amount_cents).toBe(682_500);
    const [event] = await eventsOf(file.s.id, 'funds_adjusted_to_invoice');
    expect(event).toMatchObject({ actor_id: null, entity_type: 'opportunity' });
    expect(event.payload).toMatchObject({
      fromCents: 747_500,
      toCents: 682_500,
      invoiceId: invoice.id,
    });
    expect(await database.db('outbox').where({ template: 'reservation-raised' })).toEqual([]);
  });

  it('goes up to the total within the approver’s limit, and the section 32 manager who approved it is told', async () => {
    const file = await anAcceptedContract(t);
    await aSupplierProfile(t, file.supplier.id, { province: 'NS' });
    // Amended down to the price alone since its approval.
    await database
      .db('fund_reservations')
      .where({ opportunity_id: file.s.id })
      .update({ amount_cents: PRICE });
    const { approved_by: approver } = await reservationOf(file.s.id);
    await database.db.transaction((trx) =>
      submitInvoice(trx, file.supplier, {
        contractId: file.contractId,
        invoiceNumber: 'NS-1',
        invoiceDate: easternDate(t.clock.now()),
        now: t.clock.now(),
      }),
    );
    expect((await reservationOf(file.s.id)).amount_cents).toBe(741_000);
    const [event] = await eventsOf(file.s.id, 'funds_adjusted_to_invoice');
    expect(event.payload).toMatchObject({ fromCents: PRICE, toCents: 741_000 });
    const { email } = await database.db('users').where({ id: approver }).first('email');
    const [told] = await emailsTo(t, email, 'reservation-raised');
    const text = t.deps.emailRenderer.render('reservation-raised', 'en', told!.data).text;
    expect(text).toContain('the reservation went from $6,500.00 to $7,410.00');
    expect(text).toContain('est passée de 6\u00a0500,00\u00a0$ à 7\u00a0410,00\u00a0$');
  });

  it('stays as it was when the total is past the approver’s limit: the invoice is received, section 32 must act', async () => {
    const file = await anAcceptedContract(t);
    await aSupplierProfile(t, file.supplier.id, { province: 'ON' });
    await database
      .db('fund_reservations')
      .where({ opportunity_id: file.s.id })
      .update({ amount_cents: 700_000, delegated_limit_cents: 700_000 });
    const { invoiceId, reservation } = await database.db.transaction((trx) =>
      submitInvoice(trx, file.supplier, {
        contractId: file.contractId,
        invoiceNumber: 'ON-1',
        invoiceDate: easternDate(t.clock.now()),
        now: t.clock.now(),
      }),
    );
    expect(reservation).toMatchObject({ kind: 'needs_section32', why: 'over_limit' });
    expect((await invoiceOf(invoiceId)).status).toBe('submitted');
    expect((await reservationOf(file.s.id)).amount_cents).toBe(700_000);
    const [event] = await eventsOf(file.s.id, 'funds_adjustment_needed');
    expect(event.payload).toMatchObject({
      fromCents: 700_000,
      toCents: 734_500,
      why: 'over_limit',
    });
    const asked = await database.db('outbox').where({ template: 'reservation-short' });
    expect(asked.length).toBeGreaterThan(0);
    const text = t.deps.emailRenderer.render('reservation-short', 'fr', asked[0].data).text;
    expect(text).toContain('La facture ON-1 s’élève à 7\u00a0345,00\u00a0$');
    expect(t.missingKeys).toEqual([]);
  });
});
