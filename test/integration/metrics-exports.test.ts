import { parse as parseCsv } from 'csv-parse/sync';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payByCard } from '../../src/payments/card.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import type { PageName } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  aCertifiedInvoice,
  aContractInProgress,
  aSupplierProfile,
  type ContractFile,
} from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { anEvaluatedOpportunity } from '../helpers/offers-world.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';
import { aCancelledOpportunity, aPublishedOpportunity } from '../helpers/scenarios.ts';

/**
 * The staff page's four exports over a known history, seeded through the real actions: in ESDC,
 * a file paid by card 2.5 days after its invoice, one with no qualified applicant, one cancelled
 * at a price with cents, and two contracts awarded an hour apart across the fiscal year's end
 * (23:30 on March 31 and 00:30 on April 1, Toronto); in TBS, one published opportunity.
 */
const PASSWORD = 'metrics exports passphrase';
let database: TestDatabase;
let t: TestApp;
let esdc: number;
let tbs: number;
let paid: ContractFile;
let boundary: ContractFile[];
let refs: Record<'paid' | 'none' | 'cancelled' | 'march' | 'april' | 'tbs', string>;
let officer: SignedIn;
let tbsClient: SignedIn;
let admin: SignedIn;

const referenceOf = async (id: number) =>
  (await t.deps.db('opportunities').where({ id }).first('reference')).reference as string;

/** A contract whose winner accepts the terms at `at`: the builder's steps end a day, an hour and a second after it starts. */
async function aContractAcceptedAt(at: string): Promise<ContractFile> {
  t.clock.set(new Date(Date.parse(at) - 86_400_000 - 3_600_000 - 1000));
  const file = await aContractInProgress(t, { passers: 1 });
  const accepted = await t.deps
    .db('events')
    .where({ entity_type: 'contract', entity_id: file.contractId, action: 'accept_terms' })
    .first('at');
  expect(new Date(accepted.at).toISOString()).toBe(new Date(at).toISOString());
  return file;
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const { db } = t.deps;
  esdc = await insertDepartment(db);
  tbs = await insertDepartment(db, { en: 'TBS', fr: 'SCT' });
  const person = (email: string, grants: Parameters<typeof insertPerson>[1]['grants']) =>
    insertPerson(db, { email, password: PASSWORD, confirmedAt: t.clock.now(), grants });
  await person('officer@esdc.example.ca', [{ role: 'program_officer', department: esdc }]);
  await person('client@tbs.example.ca', [{ role: 'client', department: tbs }]);
  await person('admin@platform.example.ca', [{ role: 'platform_admin', department: null }]);
  const financeId = await person('finance@esdc.example.ca', [
    { role: 'finance_officer', department: esdc },
  ]);

  paid = await aCertifiedInvoice(t, { passers: 2 });
  const [card] = await db('acquisition_cards')
    .insert({
      department_id: esdc,
      cardholder_id: financeId,
      last4: '4242',
      per_transaction_limit_cents: 1_000_000,
    })
    .returning('id');
  const invoice = await db('invoices').where({ id: paid.invoiceId }).first();
  t.clock.set(new Date(new Date(invoice.received_at).getTime() + 2.5 * 86_400_000));
  const finance = await currentUserOf(db, financeId);
  await db.transaction((trx) =>
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
        amountCents: Number(invoice.amount_cents),
      },
      t.clock.now(),
    ),
  );
  const none = await anEvaluatedOpportunity(t, [{ passes: false }]);
  const cancelled = await aCancelledOpportunity(t, { priceCents: 123_457 });
  const other = await aPublishedOpportunity(t, { department: tbs });
  boundary = [
    await aContractAcceptedAt('2027-04-01T03:30:00Z'), // 23:30 on March 31, Toronto (EDT)
    await aContractAcceptedAt('2027-04-01T04:30:00Z'), // 00:30 on April 1, Toronto
  ];
  // Every applicant has a profile that names them, and a GitHub account.
  const applicants = [paid, none, ...boundary].flatMap((f) => f.applicants);
  for (const a of applicants) {
    await aSupplierProfile(t, a.userId);
    await db('supplier_profiles')
      .where({ user_id: a.userId })
      .update({ github_handle: `gh-handle-${a.userId}`, business_name: `Biz ${a.userId} Ltd.` });
  }
  refs = {
    paid: await referenceOf(paid.s.id),
    none: await referenceOf(none.s.id),
    cancelled: await referenceOf(cancelled.id),
    tbs: await referenceOf(other.id),
    march: await referenceOf(boundary[0]!.s.id),
    april: await referenceOf(boundary[1]!.s.id),
  };
  officer = await signIn(t.app, 'officer@esdc.example.ca', PASSWORD);
  tbsClient = await signIn(t.app, 'client@tbs.example.ca', PASSWORD);
  admin = await signIn(t.app, 'admin@platform.example.ca', PASSWORD);
}, 300_000);

afterAll(async () => {
  await database?.drop();
});

const exportPages = [
  'opportunitiesExportCsv',
  'applicationsExportCsv',
  'paymentsExportCsv',
  'quartersExportCsv',
] as const;

async function exported(who: SignedIn, page: PageName, query = '', lang: Lang = 'en') {
  const res = await who.client.get(`${url(page, {}, lang)}${query}`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('text/csv');
  const rows: string[][] = parseCsv(res.text, { bom: true });
  return { header: rows[0]!, rows: rows.slice(1), text: res.text, res };
}

/** Each row, its cells joined by "|" (compact and exact). */
const lines = (rows: string[][]) => rows.map((r) => r.join('|'));

describe('the exports of the staff metrics page', () => {
  it('lists the opportunities with dollars from integer cents, their dates and their exit', async () => {
    const { header, rows } = await exported(officer, 'opportunitiesExportCsv');
    expect(header.join('|')).toBe(
      'Reference|Title (English)|Title (French)|Department|Status|Price before tax ($)|' +
        'Value with tax ($)|Published on|Closes on|Awarded on|Completed on|Applications|Exit',
    );
    const o = (ref: string, rest: string) =>
      `${ref}|Fix the form validator (${ref})|Corriger le validateur de formulaires (${ref})|ESDC department|${rest}`;
    expect(lines(rows)).toEqual([
      o(refs.paid, 'Awarded|6500.00|7475.00|2026-11-10|2026-11-24|2026-11-24||2|'),
      o(
        refs.none,
        'No qualified applicant|6500.00|7475.00|2026-11-13|2026-11-27|||1|No qualified applicant',
      ),
      o(refs.cancelled, 'Cancelled|1234.57|1419.76|2026-11-28|2026-12-11|||0|Cancelled'),
      o(refs.march, 'Awarded|6500.00|7475.00|2027-03-17|2027-03-31|2027-03-31||1|'),
      o(refs.april, 'Awarded|6500.00|7475.00|2027-03-17|2027-03-31|2027-04-01||1|'),
    ]);
  });

  it('anonymises the applications: nothing names a supplier, no self-identification', async () => {
    const suppliers = await t.deps
      .db('users as u')
      .join('supplier_profiles as p', 'p.user_id', 'u.id')
      .where('u.kind', 'supplier')
      .select('u.email', 'u.display_name', 'p.legal_name', 'p.business_name', 'p.github_handle');
    expect(suppliers).toHaveLength(5);
    // Both applied at the same instant: numbered in the order of their applications' keys.
    const [first, second] = paid.applicants.map((a) => a.applicationId).sort((a, b) => a - b);
    const won = (id: number | undefined) => (id === paid.ranked[0]!.applicationId ? 'Yes' : 'No');
    for (const who of [officer, admin]) {
      const { header, rows, text } = await exported(who, 'applicationsExportCsv');
      expect(header.join('|')).toBe(
        'Applicant|Reference|Submitted on|Met the mandatory criteria|Awarded the contract',
      );
      expect(lines(rows)).toEqual([
        `Applicant 1|${refs.paid}|2026-11-23|Yes|${won(first)}`,
        `Applicant 2|${refs.paid}|2026-11-23|Yes|${won(second)}`,
        `Applicant 1|${refs.none}|2026-11-26|No|No`,
        `Applicant 1|${refs.march}|2027-03-30|Yes|Yes`,
        `Applicant 1|${refs.april}|2027-03-30|Yes|Yes`,
      ]);
      for (const supplier of suppliers) {
        for (const value of Object.values(supplier) as string[]) {
          expect(value).toBeTruthy();
          expect(text).not.toContain(value);
        }
      }
    }
  });

  it('lists the payments, the supplier hidden from department staff, named to a platform administrator', async () => {
    const row = (supplier: string) =>
      `${refs.paid}-1|${refs.paid}|${supplier}|Acquisition card, on the supplier's own checkout|` +
      'Paid (section 33)|7345.00|2026-11-24|2026-11-24|2026-11-25|1';
    const winner = paid.ranked[0]!;
    const staff = await exported(officer, 'paymentsExportCsv');
    expect(staff.header.join('|')).toBe(
      'Invoice number|Reference|Supplier|Payment method|Payment status|Amount ($)|' +
        'Invoice received on|Certified on (section 34)|Paid on|Days to pay',
    );
    expect(lines(staff.rows)).toEqual([row('A supplier')]);
    expect(staff.text).not.toContain(winner.email);
    expect(staff.text).not.toContain(`Supplier ${winner.userId} Inc.`);
    const platform = await exported(admin, 'paymentsExportCsv');
    expect(lines(platform.rows)).toEqual([row(`Supplier ${winner.userId} Inc. (${winner.email})`)]);
  });

  it('sums contracts by fiscal quarter: 23:30 on March 31 in Q4, 00:30 on April 1 in the next Q1', async () => {
    const all = await exported(officer, 'quartersExportCsv');
    expect(all.header.join('|')).toBe(
      'Department|Fiscal year|Quarter|Contracts|Total value with tax ($)',
    );
    expect(lines(all.rows)).toEqual([
      'ESDC department|2026-2027|Q1 (April to June)|0|0.00',
      'ESDC department|2026-2027|Q2 (July to September)|0|0.00',
      'ESDC department|2026-2027|Q3 (October to December)|1|7475.00',
      'ESDC department|2026-2027|Q4 (January to March)|1|7475.00',
      'ESDC department|2027-2028|Q1 (April to June)|1|7475.00',
    ]);
    const y2026 = await exported(officer, 'quartersExportCsv', '?year=2026');
    expect(y2026.rows).toEqual(all.rows.slice(0, 4));
    expect(y2026.res.headers['content-disposition']).toContain(
      'low-dollar-value-contracts-by-quarter-2026-2027.csv',
    );
    const y2027 = await exported(officer, 'quartersExportCsv', '?year=2027');
    expect(lines(y2027.rows)).toEqual(['ESDC department|2027-2028|Q1 (April to June)|1|7475.00']);
  });

  it('keeps each person to their own departments; a platform administrator picks all or any', async () => {
    const references = async (who: SignedIn, query = '') =>
      (await exported(who, 'opportunitiesExportCsv', query)).rows.map((r) => r[0]);
    expect(await references(tbsClient)).toEqual([refs.tbs]);
    expect((await exported(tbsClient, 'applicationsExportCsv')).rows).toEqual([]);
    expect(await references(officer)).not.toContain(refs.tbs);
    for (const page of exportPages) {
      const refused = await officer.client.get(`${url(page, {}, 'en')}?department=${tbs}`);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toContain('text/html');
      expect(parse(refused.text).querySelector('.error-summary a')?.textContent.trim()).toBe(
        'Choose one of the departments in the list.',
      );
    }
    const { paid: p, none, cancelled, tbs: other, march, april } = refs;
    expect(await references(admin)).toEqual([p, none, cancelled, other, march, april]);
    expect(await references(admin, `?department=${tbs}`)).toEqual([refs.tbs]);
    const quarters = await exported(admin, 'quartersExportCsv', '?year=2026');
    expect(quarters.rows.map((r) => `${r[0]} ${r[2]!.slice(0, 2)} ${r[3]}`)).toEqual([
      'ESDC department Q1 0',
      'TBS department Q1 0',
      'ESDC department Q2 0',
      'TBS department Q2 0',
      'ESDC department Q3 1',
      'TBS department Q3 0',
      'ESDC department Q4 1',
      'TBS department Q4 0',
    ]);
  });

  it('writes the headers and file names in French on the French pages', async () => {
    const fr = async (page: PageName, name: string) => {
      const file = await exported(officer, page, '?year=2026', 'fr');
      expect(file.res.headers['content-disposition']).toContain(`${name}-2026-2027.csv`);
      return { header: file.header.join('|'), rows: lines(file.rows) };
    };
    const opportunities = await fr('opportunitiesExportCsv', 'occasions');
    expect(opportunities.header).toBe(
      'Référence|Titre (anglais)|Titre (français)|Ministère|État|Prix hors taxes ($)|' +
        'Valeur taxes incluses ($)|Publiée le|Date de clôture|Attribuée le|Terminée le|Demandes|Issue',
    );
    expect(opportunities.rows[2]).toContain('|Ministère EDSC|Annulée|1234.57|1419.76|');
    const applications = await fr('applicationsExportCsv', 'demandes-anonymisees');
    expect(applications.header).toBe(
      'Personne candidate|Référence|Présentée le|Satisfait aux critères obligatoires|Contrat attribué',
    );
    expect(applications.rows[2]).toBe(`Personne candidate 1|${refs.none}|2026-11-26|Non|Non`);
    const payments = await fr('paymentsExportCsv', 'paiements');
    expect(payments.header).toBe(
      'Numéro de facture|Référence|Fournisseur|Mode de paiement|État du paiement|Montant ($)|' +
        'Facture reçue le|Attestée le (article 34)|Payée le|Jours avant le paiement',
    );
    expect(payments.rows[0]).toContain(
      '|Un fournisseur|Carte d’achat, sur la page de paiement du fournisseur|Payé (article 33)|7345.00|',
    );
    const quarters = await fr('quartersExportCsv', 'contrats-de-faible-valeur-par-trimestre');
    expect(quarters.header).toBe(
      'Ministère|Exercice|Trimestre|Contrats|Valeur totale taxes incluses ($)',
    );
    expect(quarters.rows[2]).toBe('Ministère EDSC|2026-2027|T3 (octobre à décembre)|1|7475.00');
  });

  it('links each export from the staff page and its menu; a bad filter gets its message', async () => {
    const res = await officer.client.get(`${url('staffMetrics', {}, 'en')}?year=2026`).expect(200);
    const html = parse(res.text);
    expect(html.querySelectorAll('a[data-export]').map((a) => a.getAttribute('href'))).toEqual(
      exportPages.map((p) => `${url(p, {}, 'en')}?department=${esdc}&year=2026`),
    );
    const menu = html.querySelector(`nav a[href="${url('staffMetrics', {}, 'en')}"]`);
    expect(menu?.textContent).toBe('Metrics');
    for (const query of ['?year=20x6', '?year=2026&year=2027', '?department=99999999999']) {
      const bad = await officer.client.get(`${url('paymentsExportCsv', {}, 'en')}${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.headers['content-type']).toContain('text/html');
      expect(parse(bad.text).querySelector('.error-summary')).toBeTruthy();
    }
  });
});
