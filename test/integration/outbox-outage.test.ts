import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/lifecycle/notify.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { rescheduleLostEmails } from '../../src/platform/mail/delivery.ts';
import { emailTemplates, type EmailTemplate } from '../../src/platform/mail/outbox.ts';
import { watchingChecks } from '../../src/questions/unwatch.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { insertPerson } from '../helpers/people.ts';
import { aSubmittedRequest } from '../helpers/scenarios.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const w = {} as { database: TestDatabase; mailbox: TestMailbox; t: TestApp };
let port: number;

/** A port nothing listens on yet: the SMTP server is down, and comes back there. */
async function freePort(): Promise<number> {
  const probe = await startTestMailbox();
  const found = Number(new URL(probe.url).port);
  await probe.close();
  return found;
}

beforeAll(async () => {
  w.database = await createTestDatabase();
  w.t = await createTestApp(w.database.db);
  port = await freePort();
});

afterAll(async () => {
  await w.mailbox?.close();
  await w.database.drop();
});

const EMAILS = 200;
/**
 * The lifecycle notices about a request or opportunity (notify()), in turn — but those meant for
 * an opportunity's watchers, which the outbox rightly withholds from the requester (not one).
 */
const forWatchers = new Set(
  Object.keys(watchingChecks({ clock: fixedClock('2026-11-23T15:00:00Z'), publicUrl: '' })),
);
const notices = emailTemplates
  .slice(emailTemplates.indexOf('request-submitted'))
  .filter((template) => !forWatchers.has(template));

const later = (ms: number) => w.t.clock.set(new Date(w.t.clock.now().getTime() + ms));

describe('an SMTP outage', () => {
  it(
    `delivers all ${EMAILS} lifecycle emails queued while the server was down exactly once when it comes back`,
    { timeout: 300_000 },
    async () => {
      const { db } = w.database;
      const esdc = await insertDepartment(db);
      const client = await insertPerson(db, {
        email: 'chloe@esdc.example.ca',
        password: 'outage test passphrase',
        language: 'fr',
        confirmedAt: w.t.clock.now(),
        grants: [{ role: 'client', department: esdc }],
      });
      const { id } = await aSubmittedRequest(w.t, { department: esdc, requester: client });
      await db.transaction(async (trx) => {
        for (let i = 0; i < EMAILS; i += 1) {
          await notify(trx, w.t.clock.now(), {
            template: notices[i % notices.length] as EmailTemplate,
            opportunityId: id,
            to: ['requester'],
            key: 10_000 + i,
          });
        }
      });
      const queued = await db('outbox').where({ status: 'pending' }).select('idempotency_key');
      expect(queued).toHaveLength(EMAILS);

      // Down: two rounds of the queue's retries, each on its backoff, all failing.
      const address = `smtp://127.0.0.1:${port}?ignoreTLS=true`;
      // The app's job runner and mail delivery, as in production (mailing-list checks included).
      const world = mailingListWorld(w);
      for (let round = 1; round <= 2; round += 1) {
        expect(await world.deliverTo(address)()).toBe(0);
        later(Math.ceil(Math.exp(round) * 1000));
      }
      const waiting = await db('outbox')
        .where({ status: 'pending', attempts: 2 })
        .count({ n: '*' });
      expect(Number(waiting[0]!.n)).toBe(EMAILS);

      // Back, at the same address.
      w.mailbox = await startTestMailbox(port);
      expect(w.mailbox.url).toBe(address);
      // Two processes at once, as two app instances would: still one of each.
      const sent = await Promise.all([world.deliver(), world.deliver()]);
      expect(sent[0]! + sent[1]!).toBe(EMAILS);
      await w.mailbox.waitFor(EMAILS, 30_000);

      // Nothing more, whatever runs again: the jobs, the queue's retries, the lost-email sweep.
      later(60 * 60 * 1000);
      expect(await rescheduleLostEmails(db, w.t.clock)).toBe(0);
      expect(await world.deliver()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const keys = w.mailbox.messages.map((m) => m.headers.get('x-idempotency-key'));
      expect(keys).toHaveLength(EMAILS);
      expect(new Set(keys).size).toBe(EMAILS);
      expect([...keys].sort()).toEqual(queued.map((row) => row.idempotency_key).sort());
      expect(await db('outbox').whereNot({ status: 'sent' })).toEqual([]);
    },
  );
});
