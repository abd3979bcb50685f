import nodemailer from 'nodemailer';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aContractInProgress } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { emailsTo, SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { defaultDepartment } from '../helpers/scenario-people.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

const PASSWORD = 'contract page passphrase';
const CLIENT = 'carla@esdc.example.ca';
const OFFICER = 'omar@esdc.example.ca';
const OTHER_CLIENT = 'otto@esdc.example.ca';
const OTHER_SUPPLIER = 'stranger@suppliers.example.com';

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
  const department = await defaultDepartment(database.db);
  const now = t.clock.now();
  // The first client and program officer of the department: the scenarios' requester and officer.
  await insertPerson(database.db, {
    email: CLIENT,
    password: PASSWORD,
    language: 'fr',
    confirmedAt: now,
    grants: [{ role: 'client', department }],
  });
  await insertPerson(database.db, {
    email: OFFICER,
    password: PASSWORD,
    confirmedAt: now,
    grants: [{ role: 'program_officer', department }],
  });
  await insertPerson(database.db, {
    email: OTHER_CLIENT,
    password: PASSWORD,
    confirmedAt: now,
    grants: [{ role: 'client', department }],
  });
  await insertPerson(database.db, {
    email: OTHER_SUPPLIER,
    password: SUPPLIER_PASSWORD,
    kind: 'supplier',
    confirmedAt: now,
  });
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

async function deliverEmails(): Promise<number> {
  const logger = pino({ level: 'silent' });
  const worker = createJobRunner({
    connectionString: database.url,
    clock: t.clock,
    logger,
    jobs: [
      mailDelivery({
        db: database.db,
        transport: nodemailer.createTransport(mailbox.url),
        renderer: t.deps.emailRenderer,
        clock: t.clock,
        logger,
        from: 'Micro-acquisitions <no-reply@example.gc.ca>',
      }),
    ],
  });
  return worker.runDueJobs(t.clock.now());
}

describe('the contract page (issue 12, item 1)', () => {
  it('is shown to its supplier, the client who requested it and the program team only', async () => {
    const file = await aContractInProgress(t);
    const page = url('contract', { id: file.contractId }, 'en');

    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const own = await supplier.client.get(page);
    expect(own.status).toBe(200);
    expect(own.text).toContain(file.s.reference);
    expect(own.text).toContain('All tests pass');
    expect(own.text).toContain('Version 1, accepted on');
    expect(own.text).toContain('January 29, 2027');
    // Linked from the accepted offer's page and from My applications.
    const contractLink = `href="${page}"`;
    const offer = await supplier.client.get(url('offer', { id: file.contractId }, 'en'));
    expect(offer.text).toContain(contractLink);
    const mine = await supplier.client.get(url('myApplications', {}, 'en'));
    expect(mine.text).toContain(contractLink);

    for (const email of [CLIENT, OFFICER]) {
      const staff = await signIn(t.app, email, PASSWORD);
      const res = await staff.client.get(page);
      expect(res.status, email).toBe(200);
      // The supplier is not named to the department.
      expect(res.text, email).not.toContain(file.supplier.displayName);
      expect(res.text, email).toContain('Terminate for non-delivery');
      // Linked from the request page.
      const request = await staff.client.get(url('request', { ref: file.s.reference }, 'en'));
      expect(request.text, email).toContain(`href="${page}"`);
    }
    // Another supplier and another client of the department: the same 404 as for no contract.
    const stranger = await signIn(t.app, OTHER_SUPPLIER, SUPPLIER_PASSWORD);
    expect((await stranger.client.get(page)).status).toBe(404);
    const colleague = await signIn(t.app, OTHER_CLIENT, PASSWORD);
    expect((await colleague.client.get(page)).status).toBe(404);
    expect((await colleague.client.get(url('contract', { id: 999999 }, 'en'))).status).toBe(404);
    // Nobody signed in: to the sign-in page.
    const anonymous = await request(t.app).get(page);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toContain(url('signIn', {}, 'en'));
  });

  it('keeps each message with its language and emails it to the other side', async () => {
    const file = await aContractInProgress(t);
    const id = file.contractId;
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const sent = await supplier.post(
      url('contractMessages', { id }, 'en'),
      { body: 'Can I get access to the <staging> repository?' },
      url('contract', { id }, 'en'),
    );
    expect(sent.status).toBe(303);
    const client = await signIn(t.app, CLIENT, PASSWORD, 'fr');
    const answered = await client.post(
      url('contractMessages', { id }, 'fr'),
      { body: 'Oui, l’accès est accordé.' },
      url('contract', { id }, 'fr'),
    );
    expect(answered.status).toBe(303);

    const kept = await database
      .db('contract_messages')
      .where({ contract_id: id })
      .orderBy('id')
      .select('body', 'lang');
    expect(kept).toEqual([
      { body: 'Can I get access to the <staging> repository?', lang: 'en' },
      { body: 'Oui, l’accès est accordé.', lang: 'fr' },
    ]);
    // The supplier's message to the client and the program team; the client's to the supplier.
    expect(await emailsTo(t, CLIENT, 'contract-message')).toHaveLength(1);
    expect(await emailsTo(t, OFFICER, 'contract-message')).toHaveLength(1);
    const [toSupplier] = await emailsTo(t, file.supplier.email, 'contract-message');
    expect(toSupplier?.data).toMatchObject({
      detail: 'Oui, l’accès est accordé.',
      link: { en: url('contract', { id }, 'en'), fr: url('contract', { id }, 'fr') },
    });
    const delivered = await deliverEmails();
    const messages = await mailbox.waitFor(delivered);
    const toClient = messages.find(
      (m) => JSON.stringify(m.to).includes(CLIENT) && m.subject?.startsWith('Nouveau message'),
    );
    // In both languages, the client's first, with what the supplier wrote escaped.
    expect(toClient?.subject).toContain(' | New message about the contract');
    expect(toClient?.html).toContain('Can I get access to the &lt;staging&gt; repository?');

    // On the English page, the French message is marked as French (WCAG 3.1.2).
    const thread = await supplier.client.get(url('contract', { id }, 'en'));
    expect(thread.text).toContain('<blockquote lang="fr">Oui, l’accès est accordé.</blockquote>');
    expect(thread.text).toContain('Can I get access to the &lt;staging&gt; repository?');
    expect(t.missingKeys).toEqual([]);
  });

  it('gives the form back with what was typed and a message in the page’s language', async () => {
    const file = await aContractInProgress(t);
    const id = file.contractId;
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD);
    const long = 'x'.repeat(5001);
    const en = await supplier.post(
      url('contractMessages', { id }, 'en'),
      { body: long },
      url('contract', { id }, 'en'),
    );
    expect(en.status).toBe(400);
    expect(en.text).toContain('Enter 5000 characters or less to continue.');
    expect(en.text).toContain(long);

    const fr = await supplier.post(
      url('contractCheckIn', { id }, 'fr'),
      { answer: 'at_risk', note: '  ' },
      url('contract', { id }, 'fr'),
    );
    expect(fr.status).toBe(400);
    expect(fr.text).toContain('Dites ce qui compromet les travaux pour continuer.');
    expect(fr.text).toMatch(/value="at_risk" checked/);

    const client = await signIn(t.app, CLIENT, PASSWORD, 'fr');
    const early = await client.post(
      url('contractExtension', { id }, 'fr'),
      { dueOn: '2027-01-10', extensionReason: 'Le fournisseur attend un accès.' },
      url('contract', { id }, 'fr'),
    );
    expect(early.status).toBe(409);
    expect(early.text).toContain(
      'Saisissez une date postérieure à la date de livraison actuelle pour continuer.',
    );
    expect(early.text).toContain('Le fournisseur attend un accès.');
    const notADate = await client.post(
      url('contractExtension', { id }, 'fr'),
      { dueOn: '2027-02-30', extensionReason: 'Motif' },
      url('contract', { id }, 'fr'),
    );
    expect(notADate.status).toBe(400);
    expect(notADate.text).toContain('Saisissez une date au format AAAA-MM-JJ pour continuer.');
    expect(await database.db('contract_messages').where({ contract_id: id })).toEqual([]);
  });

  it('reads in French on the French page', async () => {
    const file = await aContractInProgress(t, { language: 'fr' });
    const client = await signIn(t.app, CLIENT, PASSWORD, 'fr');
    const res = await client.client.get(url('contract', { id: file.contractId }, 'fr'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="fr"');
    for (const text of [
      'Contrat',
      'Critères d’acceptation des travaux',
      'Tous les tests réussissent',
      'Date de livraison des travaux',
      '29 janvier 2027',
      'Point d’étape à mi-parcours',
      'Résilier pour défaut de livraison',
      'Chronologie',
    ]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain('Work acceptance criteria');
    expect(t.missingKeys).toEqual([]);
  });
});
