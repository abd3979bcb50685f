import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { lapseDueOffers, offerJobs } from '../../src/offers/jobs.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { respondBy } from '../../src/offers/window.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/people.ts';
import {
  anEvaluatedOpportunity,
  contractsOf,
  emailsTo,
  SUPPLIER_PASSWORD,
  theDraw,
} from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

const eventsOf = (opportunityId: number) =>
  database
    .db('events')
    .where({ opportunity_id: opportunityId, entity_type: 'contract' })
    .orderBy('id')
    .select('entity_id', 'action', 'from_state', 'to_state', 'actor_id');

describe('offers in the draw order (issue 11, item 8)', () => {
  it('offers the first drawn, and a decline offers the next in order at once', async () => {
    const e = await anEvaluatedOpportunity(t, [
      { passes: true },
      { passes: true },
      { passes: false },
      { passes: true },
    ]);
    const order = await theDraw(t, e);
    expect(order).toHaveLength(3);
    const [first, second, third] = order as [
      (typeof order)[0],
      (typeof order)[0],
      (typeof order)[0],
    ];

    let contracts = await contractsOf(t, e.s.id);
    expect(contracts).toMatchObject([
      { application_id: first.applicationId, status: 'offered', draw_position: 1 },
    ]);
    expect(contracts[0].respond_by).toEqual(respondBy(t.clock.now()));
    const [selected] = await emailsTo(t, first.email, 'offer-selected');
    expect(selected?.data).toMatchObject({
      position: 1,
      link: { en: url('offer', { id: contracts[0].id }, 'en') },
    });

    // The supplier declines on the offer's page.
    const browser = await signIn(t.app, first.email, SUPPLIER_PASSWORD);
    const page = url('offer', { id: contracts[0].id }, 'en');
    const declined = await browser.post(
      url('declineOffer', { id: contracts[0].id }, 'en'),
      { version: String(contracts[0].version), confirm: 'yes', reason: 'I took another contract.' },
      page,
    );
    expect(declined.status).toBe(303);

    contracts = await contractsOf(t, e.s.id);
    expect(contracts.map((c) => [Number(c.application_id), c.status, c.draw_position])).toEqual([
      [first.applicationId, 'declined', 1],
      [second.applicationId, 'offered', 2],
    ]);
    expect((await eventsOf(e.s.id)).map((ev) => [ev.action, ev.to_state, ev.actor_id])).toEqual([
      ['offer', 'offered', null],
      ['decline_offer', 'declined', first.userId],
      ['offer', 'offered', null],
    ]);
    expect((await emailsTo(t, first.email)).map((m) => m.template)).toEqual([
      'offer-selected',
      'offer-declined',
    ]);
    expect((await emailsTo(t, second.email)).map((m) => m.template)).toEqual([
      'outcome-not-drawn',
      'offer-selected',
    ]);
    expect(await emailsTo(t, third.email, 'offer-selected')).toEqual([]);

    // Someone else’s offer is not found.
    const other = await browser.client.get(url('offer', { id: contracts[1].id }, 'en'));
    expect(other.status).toBe(404);
  });

  it('lapses an offer left unanswered past its time to answer, and offers the next', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }, { passes: true }]);
    const [first, second] = await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const deadline = new Date(offer.respond_by);

    // The sweep also lapses the earlier tests' offers; this one waits for its own time.
    t.clock.set(new Date(deadline.getTime() - 1000));
    await lapseDueOffers(t.deps.db, t.clock);
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['offered']);

    // A second after its time, the offer can no longer be accepted, even before the job runs.
    t.clock.set(new Date(deadline.getTime() + 1000));
    const browser = await signIn(t.app, first!.email, SUPPLIER_PASSWORD);
    const page = url('offer', { id: offer.id }, 'en');
    const late = await browser.client.get(page);
    expect(late.text).toContain('This offer has lapsed');

    expect(await lapseDueOffers(t.deps.db, t.clock)).toBeGreaterThanOrEqual(1);
    const contracts = await contractsOf(t, e.s.id);
    expect(contracts.map((c) => [Number(c.application_id), c.status])).toEqual([
      [first!.applicationId, 'lapsed'],
      [second!.applicationId, 'offered'],
    ]);
    expect(new Date(contracts[1].respond_by)).toEqual(respondBy(t.clock.now()));
    expect((await eventsOf(e.s.id)).map((ev) => [ev.action, ev.actor_id])).toEqual([
      ['offer', null],
      ['lapse', null],
      ['offer', null],
    ]);
    expect((await emailsTo(t, first!.email)).map((m) => m.template)).toEqual([
      'offer-selected',
      'offer-lapsed',
    ]);
    expect((await emailsTo(t, second!.email)).map((m) => m.template)).toEqual([
      'outcome-not-drawn',
      'offer-selected',
    ]);
    // The sweep again: nothing more is due.
    expect(await lapseDueOffers(t.deps.db, t.clock)).toBe(0);
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['lapsed', 'offered']);
  });

  it('tells the requester and the program team once when nobody in the order is left', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }]);
    const [only] = await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const browser = await signIn(t.app, only!.email, SUPPLIER_PASSWORD, 'fr');
    const res = await browser.post(
      url('declineOffer', { id: offer.id }, 'fr'),
      { version: String(offer.version), confirm: 'yes' },
      url('offer', { id: offer.id }, 'fr'),
    );
    expect(res.status).toBe(303);
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['declined']);
    const exhausted = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: e.s.id, action: 'offers_exhausted' });
    expect(exhausted).toHaveLength(1);
    const requester = await database.db('users').where({ id: e.s.people.requester }).first('email');
    expect((await emailsTo(t, requester.email, 'offer-exhausted')).length).toBe(1);
    // Still drawn: the requester cancels (finance releases the funds) or re-posts.
    const o = await database.db('opportunities').where({ id: e.s.id }).first('status');
    expect(o.status).toBe('drawn');
  });

  it('lapses an offer by the job scheduled at its time to answer, not a moment before', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: true }, { passes: true }]);
    await theDraw(t, e);
    const [offer] = await contractsOf(t, e.s.id);
    const logger = pino({ level: 'silent' });
    const runner = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [offerJobs({ db: database.db, clock: t.clock, logger })],
    });
    const deadline = new Date(offer.respond_by).getTime();
    t.clock.set(new Date(deadline - 1000));
    await runner.runDueJobs(t.clock.now());
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['offered']);
    t.clock.set(new Date(deadline + 1000));
    await runner.runDueJobs(t.clock.now());
    expect((await contractsOf(t, e.s.id)).map((c) => c.status)).toEqual(['lapsed', 'offered']);
  });

  it('renders every email these steps queued, in both languages, with no key missing', async () => {
    const queued = await database
      .db('outbox')
      .where('template', 'like', 'offer-%')
      .orWhere('template', 'like', 'outcome-%')
      .select('template', 'language', 'data');
    expect(new Set(queued.map((m) => m.template))).toEqual(
      new Set([
        'offer-selected',
        'offer-declined',
        'offer-lapsed',
        'offer-exhausted',
        'outcome-not-drawn',
        'outcome-not-qualified',
      ]),
    );
    for (const m of queued) {
      const email = t.deps.emailRenderer.render(m.template, m.language, m.data);
      expect(email.subject).toContain(' | ');
      expect(email.text).not.toContain('undefined');
    }
    expect(t.missingKeys).toEqual([]);
  });
});
