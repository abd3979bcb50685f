import nodemailer from 'nodemailer';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDeadline } from '../../src/platform/dates.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery, rescheduleLostEmails } from '../../src/platform/mail/delivery.ts';
import {
  deliveryJobKey,
  enqueueEmail,
  MAX_ATTEMPTS,
  type OutgoingEmail,
} from '../../src/platform/mail/outbox.ts';
import { formatMoney } from '../../src/platform/money.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

const closes = new Date('2026-12-04T19:00:00Z');

function announcement(key: string, to: string, language: 'en' | 'fr' | null): OutgoingEmail {
  return {
    idempotencyKey: key,
    template: 'new-opportunity',
    to,
    language,
    data: {
      reference: 'MA-2026-0001',
      title: { en: 'Fix the <form> validator', fr: 'Corriger le validateur de <form>' },
      summary: { en: 'French messages & more.', fr: 'Des messages en français et plus.' },
      price: { en: formatMoney(650_000, 'en'), fr: formatMoney(650_000, 'fr') },
      deadline: { en: formatDeadline(closes, 'en'), fr: formatDeadline(closes, 'fr') },
      links: { en: '/en/opportunities/MA-2026-0001', fr: '/fr/occasions/MA-2026-0001' },
    },
  };
}

/** A process's job runner with mail delivery over this SMTP server; runOnce() runs what is due. */
function worker(transportUrl: string) {
  const logger = pino({ level: 'silent' });
  const runner = createJobRunner({
    connectionString: database.url,
    clock: t.clock,
    logger,
    jobs: [
      mailDelivery({
        db: database.db,
        transport: nodemailer.createTransport(transportUrl),
        renderer: t.deps.emailRenderer,
        clock: t.clock,
        logger,
        from: 'Micro-acquisitions <no-reply@example.gc.ca>',
      }),
    ],
  });
  return { runOnce: () => runner.runDueJobs(t.clock.now()) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

describe('email outbox', () => {
  it('queues a message only if the transaction that causes it commits', async () => {
    await expect(
      database.db.transaction(async (trx) => {
        await enqueueEmail(trx, announcement('rolled-back', 'a@example.com', 'en'), t.clock.now());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await database.db('outbox').where({ idempotency_key: 'rolled-back' })).toHaveLength(0);
  });

  it('queues the same idempotency key once', async () => {
    await enqueueEmail(database.db, announcement('once', 'b@example.com', 'fr'), t.clock.now());
    await enqueueEmail(database.db, announcement('once', 'b@example.com', 'fr'), t.clock.now());
    expect(await database.db('outbox').where({ idempotency_key: 'once' })).toHaveLength(1);
  });

  it('sends queued mail over SMTP in both languages, the recipient’s first, escaped', async () => {
    await enqueueEmail(database.db, announcement('en-first', 'c@example.com', 'en'), t.clock.now());
    const sent = await worker(mailbox.url).runOnce();
    expect(sent).toBe(2);
    const messages = await mailbox.waitFor(2);
    const french = messages.find((m) => m.to && 'text' in m.to && m.to.text === 'b@example.com');
    const english = messages.find((m) => m.to && 'text' in m.to && m.to.text === 'c@example.com');
    expect(french?.subject).toBe(
      'Nouvelle occasion MA-2026-0001\u00a0: Corriger le validateur de <form> | New opportunity MA-2026-0001: Fix the <form> validator',
    );
    expect(
      english?.subject?.startsWith('New opportunity MA-2026-0001: Fix the <form> validator'),
    ).toBe(true);
    const text = french?.text ?? '';
    expect(text.indexOf('Une nouvelle occasion est ouverte')).toBeLessThan(
      text.indexOf('A new opportunity is open'),
    );
    expect(text).toContain('Prix fixe\u00a0: 6\u00a0500,00\u00a0$ hors taxes');
    expect(text).toContain('Closing date: December 4, 2026 at 2:00 p.m. (Eastern time)');
    expect(text).toContain('French messages & more.');
    expect(french?.html).toContain('Corriger le validateur de &lt;form&gt;');
    expect(french?.html).not.toContain('<form>');
    const rows = await database.db('outbox').whereIn('idempotency_key', ['once', 'en-first']);
    expect(rows.every((row) => row.status === 'sent' && row.sent_at !== null)).toBe(true);
  });

  it('keeps a message and retries it later with backoff when the SMTP server is down', async () => {
    await enqueueEmail(database.db, announcement('retry', 'd@example.com', null), t.clock.now());
    expect(await worker('smtp://127.0.0.1:9?ignoreTLS=true').runOnce()).toBe(0);
    const [row] = await database.db('outbox').where({ idempotency_key: 'retry' });
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeTruthy();
    // The queue's backoff decides when (e¹ s after the first failure); the row shows that time,
    // to the millisecond.
    expect(new Date(row.next_attempt_at).getTime()).toBe(t.clock.now().getTime() + 2_719);
    const [job] = await database.db
      .raw(
        `select run_at <= ?::timestamptz and run_at > ?::timestamptz - interval '1 millisecond' as shown
         from graphile_worker.jobs where key = ?`,
        [row.next_attempt_at, row.next_attempt_at, deliveryJobKey(row.id)],
      )
      .then((result: { rows: { shown: boolean }[] }) => result.rows);
    expect(job?.shown).toBe(true);

    // Not due yet: nothing is sent even though the server is back.
    expect(await worker(mailbox.url).runOnce()).toBe(0);
    t.clock.set(new Date(row.next_attempt_at));
    expect(await worker(mailbox.url).runOnce()).toBe(1);
    const [after] = await database.db('outbox').where({ idempotency_key: 'retry' });
    expect(after.status).toBe('sent');
    expect(MAX_ATTEMPTS).toBeGreaterThan(1);
  });

  it('lets two workers run at once without sending a message twice', async () => {
    const before = mailbox.messages.length;
    for (let i = 0; i < 6; i += 1) {
      await enqueueEmail(
        database.db,
        announcement(`parallel-${i}`, `p${i}@example.com`, 'en'),
        t.clock.now(),
      );
    }
    const [a, b] = await Promise.all([
      worker(mailbox.url).runOnce(),
      worker(mailbox.url).runOnce(),
    ]);
    expect(a + b).toBe(6);
    await mailbox.waitFor(before + 6);
    const recipients = mailbox.messages
      .slice(before)
      .map((m) => (m.to && 'text' in m.to ? m.to.text : ''));
    expect(new Set(recipients).size).toBe(6);
  });

  it('gives a pending email whose job was lost a new one, five minutes past its time', async () => {
    await enqueueEmail(database.db, announcement('lost', 'l@example.com', 'fr'), t.clock.now());
    const [row] = await database.db('outbox').where({ idempotency_key: 'lost' });
    await database.db.raw('select graphile_worker.remove_job(?)', [deliveryJobKey(row.id)]);
    expect(await worker(mailbox.url).runOnce()).toBe(0);

    t.clock.set(new Date(t.clock.now().getTime() + 5 * 60_000 - 1));
    expect(await rescheduleLostEmails(database.db, t.clock)).toBe(0);
    t.clock.set(new Date(t.clock.now().getTime() + 1));
    expect(await rescheduleLostEmails(database.db, t.clock)).toBe(1);
    expect(await rescheduleLostEmails(database.db, t.clock)).toBe(0);
    expect(await worker(mailbox.url).runOnce()).toBe(1);
    const [after] = await database.db('outbox').where({ idempotency_key: 'lost' });
    expect(after.status).toBe('sent');
  });

  it('shows queued messages on the development email preview page, in both languages', async () => {
    await enqueueEmail(database.db, announcement('preview', 'e@example.com', 'fr'), t.clock.now());
    const res = await request(t.app).get('/fr/apercu-des-courriels').expect(200);
    expect(res.text).toContain('Aperçu des courriels');
    expect(res.text).toContain('e@example.com');
    expect(res.text).toContain('Corriger le validateur de &lt;form&gt;');
    expect(res.text).not.toContain(
      '<html lang="fr">\n<head>\n  <meta charset="utf-8">\n  <meta name="viewport" content="width=device-width, initial-scale=1">\n  <title>Nouvelle',
    );
  });

  it('has no email preview page in production', async () => {
    const production = await createTestApp(database.db, {
      env: { NODE_ENV: 'production', DATABASE_URL: database.url, SESSION_SECRET: 'p'.repeat(40) },
    });
    await request(production.app).get('/en/email-preview').expect(404);
  });
});
