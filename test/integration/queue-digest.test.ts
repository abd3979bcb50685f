import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendQueueDigests } from '../../src/queues/digest.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aSubmittedInvoice } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/people.ts';
import { aPayingDepartment, PAYER_PASSWORD } from '../helpers/payment-world.ts';

/** The daily digest of overdue queue lines: off by default, set on the page, once a day. */
let database: TestDatabase;
let t: TestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  await aPayingDepartment(t);
});

afterAll(async () => {
  await database.drop();
});

const digests = () => database.db('outbox').where({ template: 'queue-digest' }).orderBy('id');

describe('the daily digest of overdue items', () => {
  it('is off by default, turned on from the page, and sent once a day with the overdue lines', async () => {
    const file = await aSubmittedInvoice(t);
    const invoice = await database.db('invoices').where({ id: file.invoiceId }).first();
    const due = new Date(invoice.payment_due_on);
    t.clock.set(new Date(due.getTime() + 2 * DAY + 17 * 3_600_000));

    // Off by default: nothing is sent to anyone.
    expect(await sendQueueDigests(database.db, t.clock)).toBe(0);
    expect(await digests()).toHaveLength(0);

    const certifier = await signIn(t.app, 'certifier@esdc.example.ca', PAYER_PASSWORD, 'fr');
    const page = await certifier.client.get('/fr/a-traiter').expect(200);
    expect(page.text).toContain('Résumé quotidien par courriel');
    expect(page.text).not.toMatch(/id="digestChoice"[^>]*checked/);
    const saved = await certifier.post('/fr/a-traiter/resume', { digest: 'yes' }, '/fr/a-traiter');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/fr/a-traiter?digest=saved#digest');
    const again = await certifier.client.get('/fr/a-traiter?digest=saved').expect(200);
    expect(again.text).toMatch(/id="digestChoice"[^>]*checked/);
    expect(again.text).toContain('Votre choix est enregistré.');

    expect(await sendQueueDigests(database.db, t.clock)).toBe(1);
    // The same day again: nothing more.
    expect(await sendQueueDigests(database.db, t.clock)).toBe(0);
    const [sent] = await digests();
    expect(sent.recipient).toBe('certifier@esdc.example.ca');
    const data = typeof sent.data === 'string' ? JSON.parse(sent.data) : sent.data;
    expect(data.items).toEqual([
      expect.objectContaining({ queue: 'invoicesToCertify', reference: file.s.reference }),
    ]);

    // The next day, still overdue: a second digest.
    t.clock.set(new Date(t.clock.now().getTime() + DAY));
    expect(await sendQueueDigests(database.db, t.clock)).toBe(1);

    // Turned off: none the day after.
    const later = await signIn(t.app, 'certifier@esdc.example.ca', PAYER_PASSWORD);
    await later.post('/en/work-queues/digest', {}, '/en/work-queues');
    t.clock.set(new Date(t.clock.now().getTime() + DAY));
    expect(await sendQueueDigests(database.db, t.clock)).toBe(0);
    expect(await digests()).toHaveLength(2);
  });
});
