import nodemailer from 'nodemailer';
import { parse } from 'node-html-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { maskedAddress } from '../../src/platform/mail/failed-emails.ts';
import { enqueueEmail, MAX_ATTEMPTS } from '../../src/platform/mail/outbox.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn, type SignedIn } from '../helpers/people.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const PASSWORD = 'failed emails passphrase';
let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;
let platformAdmin: SignedIn;
let departmentAdmin: SignedIn;

/** Queues an email and leaves it as the worker does after its last attempt failed. */
async function aFailedEmail(key: string, to: string): Promise<number> {
  await enqueueEmail(
    database.db,
    {
      idempotencyKey: key,
      template: 'application-received',
      to,
      language: 'fr',
      data: {
        reference: 'MA-2026-0042',
        title: { en: 'Fix the validator', fr: 'Corriger le validateur' },
        links: { en: '/en/opportunities/MA-2026-0042', fr: '/fr/occasions/MA-2026-0042' },
      },
    },
    t.clock.now(),
  );
  const [row] = await database
    .db('outbox')
    .where({ idempotency_key: key })
    .update({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      last_error: 'connect ECONNREFUSED 127.0.0.1:2525',
    })
    .returning('id');
  return row.id as number;
}

function worker() {
  const logger = pino({ level: 'silent' });
  const runner = createJobRunner({
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
  return { runOnce: () => runner.runDueJobs(t.clock.now()) };
}

const statusOf = async (id: number) =>
  (await database.db('outbox').where({ id }).first('status')).status as string;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
  const esdc = await insertDepartment(database.db);
  const confirmedAt = t.clock.now();
  await insertPerson(database.db, {
    email: 'platform@example.ca',
    password: PASSWORD,
    confirmedAt,
    grants: [{ role: 'platform_admin', department: null }],
  });
  await insertPerson(database.db, {
    email: 'admin@esdc.example.ca',
    password: PASSWORD,
    confirmedAt,
    grants: [{ role: 'department_admin', department: esdc }],
  });
  platformAdmin = await signIn(t.app, 'platform@example.ca', PASSWORD);
  departmentAdmin = await signIn(t.app, 'admin@esdc.example.ca', PASSWORD);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

describe('emails not sent: the failed messages screen', () => {
  it('lists each failed message with its masked recipient, template, attempts, error and dates, in both languages', async () => {
    await aFailedEmail('failed-list', 'alexandra.tremblay@example.com');
    const en = await platformAdmin.client.get(url('failedEmails', {}, 'en')).expect(200);
    const row = parse(en.text).querySelector('tbody tr')!;
    expect(row.text).toContain('application-received');
    expect(row.text).toContain('a••••••••@example.com');
    expect(en.text).not.toContain('alexandra.tremblay');
    expect(row.text).toContain(String(MAX_ATTEMPTS));
    expect(row.text).toContain('connect ECONNREFUSED 127.0.0.1:2525');
    expect(row.querySelectorAll('time')).toHaveLength(2);

    const fr = await platformAdmin.client.get(url('failedEmails', {}, 'fr')).expect(200);
    expect(parse(fr.text).querySelector('h1')?.text).toBe('Courriels non envoyés');
    expect(fr.text).toContain('Tout renvoyer');
    expect(fr.text).not.toMatch(/failedEmails\./);
    // Found from the administration page.
    const admin = await platformAdmin.client.get(url('adminDepartments', {}, 'en')).expect(200);
    expect(admin.text).toContain(`href="${url('failedEmails', {}, 'en')}"`);
  });

  it('sends one again: the worker delivers it at the SMTP server, once, and the screen no longer lists it', async () => {
    const id = await aFailedEmail('failed-one', 'one@example.com');
    const other = await aFailedEmail('failed-other', 'other@example.com');
    const res = await platformAdmin.post(
      url('retryFailedEmail', { id: String(id) }, 'en'),
      {},
      url('failedEmails', {}, 'en'),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${url('failedEmails', {}, 'en')}?retried=1`);
    expect(await statusOf(id)).toBe('pending');
    expect(await statusOf(other)).toBe('failed');

    const before = mailbox.messages.length;
    await worker().runOnce();
    await mailbox.waitFor(before + 1);
    const sent = mailbox.messages.slice(before);
    expect(sent.map((m) => m.to && 'text' in m.to && m.to.text)).toEqual(['one@example.com']);
    expect(sent[0]!.subject).toContain('MA-2026-0042');
    expect(await statusOf(id)).toBe('sent');

    const page = await platformAdmin.client.get(`${url('failedEmails', {}, 'en')}?retried=1`);
    expect(page.text).toContain('1 email is back in the queue');
    expect(page.text).not.toContain(url('retryFailedEmail', { id: String(id) }, 'en'));

    // Sent already: a second click puts nothing back.
    const again = await platformAdmin.post(
      url('retryFailedEmail', { id: String(id) }, 'en'),
      {},
      url('failedEmails', {}, 'en'),
    );
    expect(again.headers.location).toBe(`${url('failedEmails', {}, 'en')}?retried=0`);
  });

  it('sends all of them again', async () => {
    const failed = await database.db('outbox').where({ status: 'failed' }).pluck('id');
    expect(failed.length).toBeGreaterThan(1);
    const res = await platformAdmin.post(
      url('retryAllFailedEmails', {}, 'fr'),
      {},
      url('failedEmails', {}, 'fr'),
    );
    expect(res.headers.location).toBe(`${url('failedEmails', {}, 'fr')}?retried=${failed.length}`);
    const before = mailbox.messages.length;
    await worker().runOnce();
    await mailbox.waitFor(before + failed.length);
    for (const id of failed) expect(await statusOf(id)).toBe('sent');
    const page = await platformAdmin.client.get(url('failedEmails', {}, 'fr')).expect(200);
    expect(page.text).toContain('Aucun courriel n’a échoué.');
  });

  it('is for the platform administrators only, and every retry needs the CSRF token', async () => {
    const id = await aFailedEmail('failed-guarded', 'guarded@example.com');
    await departmentAdmin.client.get(url('failedEmails', {}, 'en')).expect(403);
    await departmentAdmin.client
      .post(url('retryAllFailedEmails', {}, 'en'))
      .type('form')
      .send({})
      .expect(403);
    await platformAdmin.client
      .post(url('retryFailedEmail', { id: String(id) }, 'en'))
      .type('form')
      .send({})
      .expect(403);
    await platformAdmin.client
      .post(url('retryFailedEmail', { id: '9'.repeat(40) }, 'en'))
      .type('form')
      .send({ _csrf: await platformAdmin.csrf(url('failedEmails', {}, 'en')) })
      .expect(404);
    expect(await statusOf(id)).toBe('failed');
  });

  it('masks an address to its first character and domain', () => {
    expect(maskedAddress('jo@example.com')).toBe('j•••@example.com');
    expect(maskedAddress('not-an-address')).toBe('•••');
  });
});
