import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDueOpportunities,
  closingJobs,
  scheduleClosing,
} from '../../src/opportunities/closing.ts';
import { fixedClock, type Clock } from '../../src/platform/clock.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { closeAccount } from '../../src/accounts/profile.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';
import { aPublishedOpportunity, anAddendum } from '../helpers/scenarios.ts';

let database: TestDatabase;
let t: TestApp;
let esdc: number;
let sequence = 0;
// 2 p.m. Eastern on December 4 is the deadline unless a test says; the job runs 30 s later.
const DEADLINE = '2026-12-04T19:00:00Z';
const clock = fixedClock('2026-12-04T19:00:30Z');

async function requester(language: 'en' | 'fr'): Promise<{ id: number; email: string }> {
  sequence += 1;
  const email = `client${sequence}@example.gc.ca`;
  const id = await insertPerson(database.db, {
    email,
    password: 'closing job passphrase',
    language,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'client', department: esdc }],
  });
  return { id, email };
}

/**
 * An opportunity published through the lifecycle (which schedules its closing job), requested
 * by `by` or by the department's first client.
 */
async function published(
  options: { closesAt?: string; by?: number; titleFr?: string } = {},
): Promise<number> {
  const { id } = await aPublishedOpportunity(t, {
    department: esdc,
    requester: options.by ?? (await requester('en')).id,
    closesAt: options.closesAt ?? DEADLINE,
    titleFr: options.titleFr,
  });
  return id;
}

const closeEvents = (id: number) =>
  database.db('events').where({ entity_type: 'opportunity', entity_id: id, action: 'close' });
const statusOf = async (id: number): Promise<string> =>
  (await database.db('opportunities').where({ id }).first('status')).status;
const outboxFor = (id: number): Promise<OutboxRow[]> =>
  database.db('outbox').where({ idempotency_key: `deadline-passed:${id}` });

/** A process's job runner with the closing's tasks, on this clock. */
function closingRunner(on: Clock) {
  const logger = pino({ level: 'silent' });
  return createJobRunner({
    connectionString: database.url,
    clock: on,
    logger,
    jobs: [closingJobs({ db: database.db, clock: on, logger })],
  });
}

/** The closing job at this deadline, as publishing (or an extension) schedules it. */
const scheduled = (id: number, closesAt: string) =>
  database.db.transaction((trx) => scheduleClosing(trx, { id, closesAt: new Date(closesAt) }));

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  esdc = await insertDepartment(database.db);
});

afterAll(async () => {
  await database.drop();
});

describe('the closing job', () => {
  let due: number;
  let notYet: number;
  let client: { id: number; email: string };

  it('closes a published opportunity at its deadline, as the system, and tells the requester', async () => {
    client = await requester('fr');
    due = await published({ by: client.id, titleFr: 'Corriger le <validateur> de formulaires' });
    notYet = await published({ by: client.id, closesAt: '2026-12-04T19:01:00Z' });

    expect(await closeDueOpportunities(database.db, clock)).toBe(1);

    expect(await statusOf(due)).toBe('closed');
    const events = await closeEvents(due);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      from_state: 'published',
      to_state: 'closed',
      actor_id: null,
    });
    const emails = await outboxFor(due);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      template: 'deadline-passed',
      recipient: client.email,
      language: 'fr',
      status: 'pending',
    });
    expect(emails[0]!.data).toMatchObject({
      title: { fr: 'Corriger le <validateur> de formulaires' },
      deadline: {
        en: 'December 4, 2026 at 2:00 p.m. (Eastern time)',
        fr: '4 décembre 2026 à 14\u00a0h (heure de l’Est)',
      },
      links: {
        en: expect.stringMatching(/^\/en\/opportunities\//),
        fr: expect.stringMatching(/^\/fr\/occasions\//),
      },
    });
  });

  it('leaves an opportunity whose deadline has not come yet published', async () => {
    expect(await statusOf(notYet)).toBe('published');
    expect(await closeEvents(notYet)).toHaveLength(0);
    expect(await outboxFor(notYet)).toHaveLength(0);
  });

  it('is idempotent: a second run changes nothing more', async () => {
    expect(await closeDueOpportunities(database.db, clock)).toBe(0);
    expect(await closeEvents(due)).toHaveLength(1);
    expect(await outboxFor(due)).toHaveLength(1);
    expect(await statusOf(notYet)).toBe('published');
  });

  it('closes the other one once its deadline passes, through its job, start() and stop()', async () => {
    // The first one's own job, due at its deadline, finds it closed by the sweep already.
    expect(await closingRunner(clock).runDueJobs(clock.now())).toBe(1);
    expect(await closeEvents(due)).toHaveLength(1);
    const later = fixedClock('2026-12-04T19:01:00Z');
    await scheduled(notYet, '2026-12-04T19:01:00Z');
    const job = closingRunner(later);
    expect(await job.runDueJobs(later.now())).toBe(1);
    expect(await statusOf(notYet)).toBe('closed');
    await job.start();
    await job.stop();
    expect(await closeEvents(notYet)).toHaveLength(1);
  });

  it('closes at the deadline an extension moved it to, not at the first one', async () => {
    const opportunity = await aPublishedOpportunity(t, {
      department: esdc,
      requester: client.id,
      closesAt: '2026-12-04T19:05:00Z',
    });
    const { id } = opportunity;
    await scheduled(id, '2026-12-04T19:05:00Z');
    // The extension, an addendum: the new deadline and its job (same key) in one transaction.
    await anAddendum(t, opportunity, {
      summary: { en: 'Five more minutes.', fr: 'Cinq minutes de plus.' },
      newClosesAt: new Date('2026-12-04T19:10:00Z'),
    });
    const atFirst = fixedClock('2026-12-04T19:05:00Z');
    expect(await closingRunner(atFirst).runDueJobs(atFirst.now())).toBe(0);
    expect(await statusOf(id)).toBe('published');
    const atNew = fixedClock('2026-12-04T19:10:00Z');
    expect(await closingRunner(atNew).runDueJobs(atNew.now())).toBe(1);
    expect(await statusOf(id)).toBe('closed');
    expect(await closeEvents(id)).toHaveLength(1);
  });

  it('closes one with no known requester (their account closed since) without an email', async () => {
    const gone = await requester('en');
    const seeded = await published({ by: gone.id });
    await closeAccount(database.db, t.clock, gone.id);
    expect(await closeDueOpportunities(database.db, clock)).toBe(1);
    expect(await statusOf(seeded)).toBe('closed');
    expect(await outboxFor(seeded)).toHaveLength(0);
  });

  it('closes each opportunity exactly once with two processes running at the same time', async () => {
    const someone = await requester('en');
    const ids: number[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await published({ by: someone.id }));

    const counts = await Promise.all([
      closeDueOpportunities(database.db, clock),
      closeDueOpportunities(database.db, clock),
    ]);

    expect(counts[0]! + counts[1]!).toBe(ids.length);
    for (const id of ids) {
      expect(await statusOf(id)).toBe('closed');
      expect(await closeEvents(id), `events of ${id}`).toHaveLength(1);
      expect(await outboxFor(id), `emails of ${id}`).toHaveLength(1);
    }
  });

  it('renders the email in both languages, the requester’s first', async () => {
    const [row] = await outboxFor(due);
    const email = t.deps.emailRenderer.render(row!.template, row!.language, row!.data);
    const { reference, title_en } = await database
      .db('opportunities')
      .where({ id: due })
      .first('reference', 'title_en');
    expect(email.subject).toBe(
      `Date de clôture passée\u00a0: ${reference}, Corriger le <validateur> de formulaires | Closing date passed: ${reference}, ${title_en}`,
    );
    expect(email.text.indexOf('Votre occasion est maintenant fermée')).toBeLessThan(
      email.text.indexOf('Your opportunity is now closed'),
    );
    expect(email.text).toContain('Corriger le <validateur> de formulaires');
    expect(email.text).toContain('4 décembre 2026 à 14\u00a0h (heure de l’Est)');
    expect(email.text).toContain('December 4, 2026 at 2:00 p.m. (Eastern time)');
    expect(email.html).toContain('Corriger le &lt;validateur&gt; de formulaires');
    expect(email.html).toMatch(/href="[^"]*\/fr\/occasions\/MA-2026-\d+"/);
    expect(email.html).toMatch(/href="[^"]*\/en\/opportunities\/MA-2026-\d+"/);
    expect(t.missingKeys).toEqual([]);
  });
});
