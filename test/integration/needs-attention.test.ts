import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { easternDate, formatCalendarDate, formatDate } from '../../src/platform/dates.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  aCertifiedInvoice,
  aContractInProgress,
  aDeliveredContract,
  aSubmittedInvoice,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { anEvaluatedOpportunity, SUPPLIER_PASSWORD, theDraw } from '../helpers/offers-world.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aPayingDepartment, PAYER_PASSWORD, type Payers } from '../helpers/payment-world.ts';
import { agent } from '../helpers/session.ts';

/** "Needs attention" / « À traiter » for the later steps and for suppliers (issue 14, item 1). */
let database: TestDatabase;
let t: TestApp;
let payers: Payers;
let clientId: number;
const CLIENT_PASSWORD = 'needs attention client passphrase';
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  payers = await aPayingDepartment(t);
  clientId = await insertPerson(database.db, {
    email: 'client@esdc.example.ca',
    password: CLIENT_PASSWORD,
    name: 'Chloé Client',
    confirmedAt: t.clock.now(),
    grants: [{ role: 'client', department: payers.departmentId }],
  });
  // The first program officer of the department: the scenarios' draws are theirs.
  await insertPerson(database.db, {
    email: 'program@esdc.example.ca',
    password: CLIENT_PASSWORD,
    name: 'Paul Program',
    confirmedAt: t.clock.now(),
    grants: [{ role: 'program_officer', department: payers.departmentId }],
  });
});

afterAll(async () => {
  await database.drop();
});

const page = (lang: Lang) => (lang === 'en' ? '/en/work-queues' : '/fr/a-traiter');

/** Each line of the queue under heading `#id`: its reference and its four cells' text. */
function linesOf(html: string, id: string) {
  const heading = parse(html).querySelector(`#${id}`);
  if (!heading) throw new Error(`no queue #${id} on the page`);
  const table = heading.nextElementSibling;
  if (table?.tagName !== 'TABLE') return [];
  return table.querySelectorAll('tbody tr').map((tr) => {
    const [what, since, due] = tr.querySelectorAll('td').map((c) => c.textContent.trim());
    return {
      reference: tr.querySelector('th')!.textContent.trim(),
      href: tr.querySelector('th a')!.getAttribute('href'),
      what,
      since,
      due,
      overdue: tr.classList.contains('overdue'),
    };
  });
}

const referenceOf = async (opportunityId: number) =>
  String((await database.db('opportunities').where({ id: opportunityId }).first()).reference);

const invoiceOf = (id: number) => database.db('invoices').where({ id }).first();

describe('the section 34 manager’s and finance’s queues', () => {
  it('lists invoices to certify with their age and 30-day due date, the overdue one first, in English and French', async () => {
    const older = await aSubmittedInvoice(t, { requester: clientId });
    t.clock.set(new Date(t.clock.now().getTime() + 10 * DAY));
    const newer = await aSubmittedInvoice(t, { requester: clientId });
    const [a, b] = [await invoiceOf(older.invoiceId!), await invoiceOf(newer.invoiceId!)];
    const dueA = String(
      a.payment_due_on instanceof Date
        ? a.payment_due_on.toISOString().slice(0, 10)
        : a.payment_due_on,
    );
    // Noon Eastern on the day after the older invoice's last day to pay: it is overdue.
    const now = new Date(`${dueA}T17:00:00Z`);
    now.setTime(now.getTime() + DAY);
    t.clock.set(now);

    for (const lang of ['en', 'fr'] as const) {
      const certifier = await signIn(t.app, 'certifier@esdc.example.ca', PAYER_PASSWORD, lang);
      const html = (await certifier.client.get(page(lang)).expect(200)).text;
      const lines = linesOf(html, 'section34_manager-invoicesToCertify');
      const days = (received: Date) => Math.floor((now.getTime() - received.getTime()) / DAY);
      const word = (n: number) => (lang === 'en' ? `${n} days` : `${n} jours`);
      expect(lines.map((l) => l.reference)).toEqual([
        await referenceOf(older.s.id),
        await referenceOf(newer.s.id),
      ]);
      expect(lines[0]!.overdue).toBe(true);
      expect(lines[0]!.due).toBe(
        `${formatCalendarDate(dueA, lang)} ${lang === 'en' ? 'Overdue' : 'En retard'}`,
      );
      expect(lines[0]!.since).toBe(
        `${formatDate(a.received_at, lang)} (${word(days(a.received_at))})`,
      );
      expect(lines[0]!.what).toContain(a.invoice_number);
      expect(lines[1]!.overdue).toBe(false);
      expect(lines[1]!.since).toBe(
        `${formatDate(b.received_at, lang)} (${word(days(b.received_at))})`,
      );
      expect(lines[1]!.href).toBe(
        `/${lang}/admin/${lang === 'en' ? 'certification' : 'attestation'}/${await referenceOf(newer.s.id)}`,
      );
      expect(html).toContain(lang === 'en' ? 'Invoices to certify' : 'Factures à attester');
      // The certifier is a finance officer too: nothing certified yet, nothing to pay.
      expect(linesOf(html, 'finance_officer-paymentsToMake')).toEqual([]);
    }
  });
});

describe('the client’s and the supplier’s queues', () => {
  it('lists delivered work to review, due 15 days after delivery', async () => {
    const file = await aDeliveredContract(t, { requester: clientId });
    const delivered = await database
      .db('deliveries')
      .where({ contract_id: file.contractId })
      .max('delivered_at as at')
      .first();
    t.clock.set(new Date(delivered!.at.getTime() + 16 * DAY));
    const client = await signIn(t.app, 'client@esdc.example.ca', CLIENT_PASSWORD);
    const html = (await client.client.get(page('en')).expect(200)).text;
    const lines = linesOf(html, 'client-deliveriesToReview');
    // One heading for the role: the request steps' queues and the later steps' under it.
    const headings = parse(html)
      .querySelectorAll('h2')
      .map((h) => h.textContent.trim());
    expect(headings.filter((h) => h === 'Client')).toHaveLength(1);
    expect(parse(html).querySelector('#client-deliveriesToReview + table caption')?.text).toBe(
      'Client – Deliveries to review',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]!.reference).toBe(await referenceOf(file.s.id));
    expect(lines[0]!.href).toBe(`/en/contracts/${file.contractId}/review`);
    expect(lines[0]!.overdue).toBe(true);
    expect(lines[0]!.since).toContain('(16 days)');
  });

  it('shows the supplier their work due and check-in, and lands them there after signing in', async () => {
    const file = await aContractInProgress(t, { requester: clientId });
    const contract = await database.db('contracts').where({ id: file.contractId }).first();
    const iso = (d: Date | string | null) =>
      d === null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : d;

    const browser = agent(t.app);
    const res = await browser.post('/fr/connexion', {
      email: file.supplier.email,
      password: SUPPLIER_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/fr/a-traiter');
    const html = (await browser.client.get('/fr/a-traiter').expect(200)).text;
    expect(html).toContain('Votre travail de fournisseur');
    expect(parse(html).querySelector('.site-menu a[href="/fr/a-traiter"]')?.text).toBe('À traiter');
    const work = linesOf(html, 'supplier-workDue');
    expect(work.map((l) => l.href)).toEqual([`/fr/contrats/${file.contractId}`]);
    expect(work[0]!.due).toBe(formatCalendarDate(iso(contract.due_on)!, 'fr'));
    const checkIns = linesOf(html, 'supplier-checkIns');
    expect(checkIns.map((l) => l.due)).toEqual([
      formatCalendarDate(iso(contract.midpoint_on)!, 'fr'),
    ]);
    expect(linesOf(html, 'supplier-offersToAccept')).toEqual([]);
    expect(parse(html).querySelector('#supplier-paymentsExpected + p')?.textContent).toBe(
      'Vous n’attendez aucun paiement.',
    );
    expect(t.missingKeys).toEqual([]);
  });
});

describe('offers and payments', () => {
  it('shows an unanswered offer to the program team and to the supplier, overdue after 3 business days', async () => {
    const evaluated = await anEvaluatedOpportunity(t, [{ passes: true }], { requester: clientId });
    const [winner] = await theDraw(t, evaluated);
    const offer = await database
      .db('contracts')
      .where({ opportunity_id: evaluated.s.id, status: 'offered' })
      .first();
    const dueOn = easternDate(offer.respond_by);
    t.clock.set(new Date(offer.respond_by.getTime() + 3_600_000));
    const reference = await referenceOf(evaluated.s.id);

    const officer = await signIn(t.app, 'program@esdc.example.ca', CLIENT_PASSWORD);
    const staff = linesOf(
      (await officer.client.get(page('en')).expect(200)).text,
      'program_officer-offersAwaitingSupplier',
    );
    expect(staff.map((l) => [l.reference, l.href, l.due, l.overdue])).toEqual([
      [reference, `/en/requests/${reference}`, `${formatCalendarDate(dueOn, 'en')} Overdue`, true],
    ]);

    const supplier = await signIn(t.app, winner!.email, SUPPLIER_PASSWORD);
    const own = linesOf(
      (await supplier.client.get(page('en')).expect(200)).text,
      'supplier-offersToAccept',
    );
    expect(own.map((l) => [l.href, l.overdue])).toEqual([[`/en/offers/${offer.id}`, true]]);
  });

  it('lists a certified invoice in finance’s payments to make, due 30 days after the invoice', async () => {
    const file = await aCertifiedInvoice(t, { requester: clientId });
    const invoice = await invoiceOf(file.invoiceId!);
    const dueOn =
      invoice.payment_due_on instanceof Date
        ? invoice.payment_due_on.toISOString().slice(0, 10)
        : String(invoice.payment_due_on);
    const finance = await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD, 'fr');
    const lines = linesOf(
      (await finance.client.get(page('fr')).expect(200)).text,
      'finance_officer-paymentsToMake',
    );
    const mine = lines.find((l) => l.href === `/fr/admin/paiements/${file.invoiceId}`);
    expect(mine?.due).toBe(formatCalendarDate(dueOn, 'fr'));
    expect(mine?.overdue).toBe(false);
    expect(mine?.what).toBe(invoice.invoice_number);
  });
});

describe('funds to release', () => {
  it('lists the reservation of an opportunity no one qualified for, to finance and to the program team', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: false }], { requester: clientId });
    // Nobody passed: the evaluation's lock ended it with no qualified applicant.
    expect((await database.db('opportunities').where({ id: e.s.id }).first()).status).toBe(
      'no_qualified_applicant',
    );
    const reference = await referenceOf(e.s.id);
    const reservation = await database
      .db('fund_reservations')
      .where({ opportunity_id: e.s.id })
      .first();

    const finance = await signIn(t.app, 'finance@esdc.example.ca', PAYER_PASSWORD);
    const funds = linesOf(
      (await finance.client.get(page('en')).expect(200)).text,
      'finance_officer-fundsToRelease',
    );
    const line = funds.find((l) => l.reference === reference);
    expect(line?.what).toContain(reservation.reservation_number);
    expect(line?.href).toBe('/en/admin/funds-to-release');
    expect(line?.due).toBe('No due date');

    const program = await signIn(t.app, 'program@esdc.example.ca', CLIENT_PASSWORD);
    const html = (await program.client.get(page('en')).expect(200)).text;
    expect(linesOf(html, 'program_officer-noQualifiedApplicant').map((l) => l.reference)).toEqual([
      reference,
    ]);
  });
});
