import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/lifecycle/notify.ts';
import { emailTemplates, type EmailTemplate } from '../../src/platform/mail/outbox.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';
import { aSubmittedRequest } from '../helpers/scenarios.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

/** The notices about a request or opportunity, sent through notify(). */
const notices = emailTemplates.slice(emailTemplates.indexOf('request-submitted'));

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

describe('notices about a request', () => {
  it('are sent over SMTP in both languages, the recipient’s first, with what a person wrote escaped', async () => {
    const { db } = database;
    const esdc = await insertDepartment(db);
    const client = await insertPerson(db, {
      email: 'chloe@esdc.example.ca',
      password: 'notice emails passphrase',
      language: 'fr',
      confirmedAt: t.clock.now(),
      grants: [{ role: 'client', department: esdc }],
    });
    // Submitted: nobody else is told yet (the department has no program officer here).
    const { id, reference } = await aSubmittedRequest(t, { department: esdc, requester: client });
    // Its title in both languages, as translation later leaves it: each section shows its own.
    await db('opportunities')
      .where({ id })
      .update({ title_fr: `Corriger le validateur de formulaires (${reference})` });
    await db.transaction(async (trx) => {
      for (const template of notices as readonly EmailTemplate[]) {
        await notify(trx, t.clock.now(), {
          template,
          opportunityId: id,
          to: ['requester'],
          key: 1,
          detail: 'Please add <b>the licence</b> & resubmit.',
        });
      }
    });
    const logger = pino({ level: 'silent' });
    const worker = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [
        mailDelivery({
          db,
          transport: nodemailer.createTransport(mailbox.url),
          renderer: t.deps.emailRenderer,
          clock: t.clock,
          logger,
          from: 'Micro-acquisitions <no-reply@example.gc.ca>',
        }),
      ],
    });
    expect(await worker.runDueJobs(t.clock.now())).toBe(notices.length);
    const messages = await mailbox.waitFor(notices.length);
    for (const message of messages) {
      const [fr, en] = (message.subject ?? '').split(' | ');
      expect(fr, message.subject).toBeTruthy();
      expect(en, message.subject).toBeTruthy();
      expect(fr).not.toBe(en);
      const text = message.text ?? '';
      // French first for a French-speaking client, then English.
      expect(text.indexOf('Corriger le validateur')).toBeLessThan(
        text.indexOf('Fix the form validator'),
      );
      expect(text).toContain(reference);
      expect(text).toMatch(/http:\/\/localhost:3000\/fr\//);
      expect(text).toMatch(/http:\/\/localhost:3000\/en\//);
      expect(message.html).toContain('Please add &lt;b&gt;the licence&lt;/b&gt; &amp; resubmit.');
    }
    expect(t.missingKeys).toEqual([]);
  });
});
