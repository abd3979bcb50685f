import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleClosing } from '../../src/opportunities/closing.ts';
import { enqueueEmail } from '../../src/platform/mail/outbox.ts';
import { emailSamples } from '../../src/platform/mail/samples.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp } from '../helpers/app.ts';
import {
  productionEnv,
  startApp,
  startProxy,
  stopApp,
  type AppProcess,
  type Proxy,
} from '../helpers/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { Visitor } from '../helpers/http-visitor.ts';
import { insertPerson } from '../helpers/people.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

/**
 * Two production processes on one database, behind nginx: what one of them starts or changes,
 * the other sees — sessions, rate-limit counts, the job queue, the outbox, the page cache.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const officer = { email: 'officer@cluster.example.ca', password: 'cluster officer passphrase' };

let database: TestDatabase;
let mailbox: TestMailbox;
let a: AppProcess;
let b: AppProcess;
let proxy: Proxy;
let open: Scenario;
let closing: Scenario;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  // The processes run on the system clock: the opportunities are set up on it too.
  const now = new Date();
  const t = await createTestApp(database.db, { now: now.toISOString() });
  const department = await insertDepartment(database.db);
  const officerId = await insertPerson(database.db, {
    ...officer,
    confirmedAt: now,
    grants: [{ role: 'program_officer', department }],
  });
  const window = { opensAt: now, closesAt: new Date(now.getTime() + 14 * DAY_MS) };
  open = await aPublishedOpportunity(t, { department, officer: officerId, ...window });
  closing = await aPublishedOpportunity(t, { department, officer: officerId, ...window });
  const env = productionEnv(database.url, {
    SMTP_URL: mailbox.url,
    // Long enough that only the change notice can explain a fresh page.
    PAGE_CACHE_SECONDS: '3600',
  });
  [a, b] = await Promise.all([startApp(env), startApp(env)]);
  proxy = await startProxy([a.port, b.port]);
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([a && stopApp(a), b && stopApp(b)]);
  await mailbox?.close();
  await database?.drop();
});

/** The text of the email sent to `address`, once it has arrived. */
async function mailTo(address: string): Promise<string> {
  for (let wait = 0; wait < 200; wait += 1) {
    const found = mailbox.messages.find((m) => JSON.stringify(m.to).includes(address));
    if (found) return found.text ?? '';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no email to ${address}`);
}

describe('two production processes behind nginx', () => {
  it('a session started on one process works on the other, directly and through nginx', async () => {
    // A supplier who signs up through A and confirms through B the link that A's or B's job sent.
    const supplier = {
      email: 'supplier@cluster.example.ca',
      password: 'cluster supplier passphrase',
    };
    const visitor = new Visitor();
    const signUp = await visitor.post(`${a.origin}${url('signUp', {}, 'en')}`, {
      ...supplier,
      passwordConfirmation: supplier.password,
      language: 'en',
      privacy: 'yes',
    });
    expect(signUp.status).toBe(303);
    const email = await mailTo(supplier.email);
    const link = /\/en\/confirm-email\/[\w-]+/.exec(email)?.[0];
    expect(link).toBeDefined();
    const confirmed = await visitor.post(`${b.origin}${link}`, { password: supplier.password });
    expect(confirmed.status).toBe(200);

    const signIn = await visitor.post(`${a.origin}${url('signIn', {}, 'en')}`, supplier);
    expect(signIn.status).toBe(303);
    const account = url('account', {}, 'en');
    const onB = await visitor.get(`${b.origin}${account}`);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain(supplier.email);
    // nginx sends consecutive requests to each instance in turn.
    const throughProxy = [];
    for (let i = 0; i < 6; i += 1)
      throughProxy.push(await visitor.get(`${proxy.origin}${account}`));
    expect(throughProxy.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(throughProxy.every((r) => r.text.includes(supplier.email))).toBe(true);
    // The form's token from B's page signs out on A; then B knows the session is over.
    const signOut = await visitor.post(
      `${a.origin}${url('signOut', {}, 'en')}`,
      {},
      `${b.origin}${account}`,
    );
    expect(signOut.status).toBe(303);
    const afterwards = await visitor.get(`${b.origin}${account}`);
    expect(afterwards.status).toBe(303);
    console.log(
      `session: signed up on A (${signUp.status}), confirmed on B (${confirmed.status}), signed in on A (${signIn.status}), B directly ${onB.status}, through nginx ${throughProxy.filter((r) => r.text.includes(supplier.email)).length}/6 signed in; signed out on A with B's form token (${signOut.status}), B then ${afterwards.status} to sign-in`,
    );
  });

  it('rate limits count the requests of both processes together', async () => {
    // forgot-password: 10 a quarter-hour per address; a new email address each time, so the
    // per-address count (5) never decides.
    const limit = 10;
    const visitor = new Visitor();
    const path = url('forgotPassword', {}, 'en');
    let n = 0;
    const ask = (app: AppProcess) =>
      visitor.post(`${app.origin}${path}`, { email: `rate-${(n += 1)}@cluster.example.ca` });
    const statuses: Record<'A' | 'B', number[]> = { A: [], B: [] };
    for (let i = 0; i < limit / 2; i += 1) {
      statuses.A.push((await ask(a)).status);
      statuses.B.push((await ask(b)).status);
    }
    statuses.A.push((await ask(a)).status);
    statuses.B.push((await ask(b)).status);
    // Each process saw 6 of the 10 allowed: only a shared count refuses the sixth.
    expect(statuses.A).toEqual([...Array(limit / 2).fill(303), 429]);
    expect(statuses.B).toEqual([...Array(limit / 2).fill(303), 429]);
    console.log(
      `rate limit (forgot-password, ${limit}/15 min): A ${statuses.A.join(',')}; B ${statuses.B.join(',')}`,
    );
  });

  it('the closing job closes a due opportunity once, with both processes running jobs', async () => {
    const dueAt = new Date();
    await database.db.transaction(async (trx) => {
      await trx('opportunities').where({ id: closing.id }).update({ closes_at: dueAt });
      // The deadline's job, moved to now: both runners are told of it at once.
      await scheduleClosing(trx, { id: closing.id, closesAt: dueAt });
    });
    const started = performance.now();
    let status = '';
    while (performance.now() - started < 20_000) {
      status = (await database.db('opportunities').where({ id: closing.id }).first('status'))
        .status;
      if (status === 'closed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const closedAfter = Math.round(performance.now() - started);
    expect(status).toBe('closed');
    // Time for a second closing, if there were one to come.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const events = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: closing.id, action: 'close' });
    const notices = await database
      .db('outbox')
      .where({ idempotency_key: `deadline-passed:${closing.id}` });
    expect(events).toHaveLength(1);
    expect(notices).toHaveLength(1);
    console.log(
      `closing: ${closing.reference} closed ${closedAfter} ms after it became due; close events ${events.length}, deadline-passed emails ${notices.length}`,
    );
  });

  it('each queued email is sent once, by one process or the other', async () => {
    const count = 30;
    const sample = emailSamples().find((s) => s.template === 'reset-password')!;
    const started = performance.now();
    await database.db.transaction(async (trx) => {
      for (let i = 0; i < count; i += 1) {
        await enqueueEmail(
          trx,
          {
            idempotencyKey: `cluster-mail:${i}`,
            template: sample.template,
            to: `mail-${i}@cluster.example.ca`,
            language: 'en',
            data: sample.data,
          },
          new Date(),
        );
      }
    });
    const ours = () =>
      mailbox.messages.filter((m) => m.to && /mail-\d+@cluster/.test(JSON.stringify(m.to)));
    while (ours().length < count && performance.now() - started < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const allArrived = Math.round(performance.now() - started);
    // Time for a duplicate, if there were one to come.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const recipients = ours().map((m) => JSON.stringify(m.to));
    expect(recipients).toHaveLength(count);
    expect(new Set(recipients).size).toBe(count);
    const rows = await database.db('outbox').where('idempotency_key', 'like', 'cluster-mail:%');
    expect(rows.map((r) => r.status)).toEqual(Array(count).fill('sent'));
    console.log(
      `emails: ${count} queued, ${recipients.length} received (${new Set(recipients).size} distinct recipients) in ${allArrived} ms; outbox attempts ${rows.reduce((sum, r) => sum + r.attempts, 0)}`,
    );
  });

  it('a change made through one process empties the page cache of the other at once', async () => {
    const page = url('opportunity', { ref: open.reference }, 'en');
    const titleOnB = async () => (await fetch(`${b.origin}${page}`)).text();
    const before = await titleOnB();
    expect(before).toContain(open.content.title.en);
    // Proof that B serves its cached copy: a change made without the change notice (triggers
    // off for this session only) is not seen.
    await database.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('opportunities').where({ id: open.id }).update({ title_en: 'Silently changed' });
    });
    expect(await titleOnB()).not.toContain('Silently changed');
    await database.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('opportunities').where({ id: open.id }).update({ title_en: open.content.title.en });
    });

    const officerVisitor = new Visitor();
    expect(
      (await officerVisitor.post(`${a.origin}${url('signIn', {}, 'en')}`, officer)).status,
    ).toBe(303);
    const addendum = `${a.origin}${url('addendum', { ref: open.reference }, 'en')}`;
    const form = await officerVisitor.form(addendum, 'title_en');
    const newTitle = `${open.content.title.en} (amended through A)`;
    const posted = await officerVisitor.post(addendum, {
      ...form,
      title_en: newTitle,
      addendum_en: 'The title is clearer.',
      addendum_fr: 'Le titre est plus clair.',
    });
    expect(posted.status, posted.text.match(/class="gcds-error[^<]*<[^>]*>[^<]*/g)?.join()).toBe(
      303,
    );
    const changedAt = performance.now();
    let tries = 0;
    let shown = false;
    while (!shown && performance.now() - changedAt < 2_000) {
      tries += 1;
      shown = (await titleOnB()).includes(newTitle);
    }
    const ms = Math.round(performance.now() - changedAt);
    expect(shown).toBe(true);
    console.log(
      `page cache (PAGE_CACHE_SECONDS=3600): a change without notice unseen on B; the addendum through A shown on B after ${ms} ms (${tries} request${tries === 1 ? '' : 's'})`,
    );
  });
});
