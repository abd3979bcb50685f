import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMissedMidpoints, contractJobs } from '../../src/contracts/jobs.ts';
import { afterMidpoint, midpointOf } from '../../src/contracts/schedule.ts';
import { easternDate } from '../../src/platform/dates.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aContractInProgress } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { emailsTo, SUPPLIER_PASSWORD } from '../helpers/offers-world.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { defaultDepartment } from '../helpers/scenario-people.ts';

let database: TestDatabase;
let t: TestApp;

const PASSWORD = 'contract check-in passphrase';
const CLIENT = 'cleo@esdc.example.ca';
const OFFICER = 'oscar@esdc.example.ca';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const department = await defaultDepartment(database.db);
  for (const [email, role] of [
    [CLIENT, 'client'],
    [OFFICER, 'program_officer'],
  ] as const) {
    await insertPerson(database.db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role, department }],
    });
  }
});

afterAll(async () => {
  await database.drop();
});

const contractOf = (id: number) =>
  database.db('contracts').where({ id }).first('due_on', 'midpoint_on', 'status');

const stepsOf = (id: number, action: string) =>
  database
    .db('events')
    .where({ entity_type: 'contract', entity_id: id, action })
    .orderBy('id')
    .select('actor_id', 'from_state', 'to_state', 'reason', 'reason_lang', 'payload');

const midpointJob = (id: number) =>
  database.db
    .raw(`select run_at from graphile_worker.jobs where key = ?`, [`contract-midpoint:${id}`])
    .then((r: { rows: { run_at: Date }[] }) => r.rows[0]?.run_at);

describe('the midpoint', () => {
  it('is halfway between the acceptance and the due date, in Toronto days', () => {
    expect(midpointOf('2026-11-24', '2027-01-29')).toBe('2026-12-27');
    expect(midpointOf('2026-11-24', '2026-11-25')).toBe('2026-11-24');
    expect(midpointOf('2026-11-24', '2026-11-20')).toBe('2026-11-20');
    // The day after the midpoint starts at midnight in Toronto (EST in winter).
    expect(afterMidpoint('2026-12-27').toISOString()).toBe('2026-12-28T05:00:00.000Z');
    // … and EDT in summer.
    expect(afterMidpoint('2027-06-30').toISOString()).toBe('2027-07-01T04:00:00.000Z');
  });
});

describe('the midpoint check-in (issue 12, item 1)', () => {
  it('sets the due date and the midpoint when the terms are accepted', async () => {
    const file = await aContractInProgress(t);
    const accepted = await database
      .db('terms_acceptances')
      .where({ contract_id: file.contractId })
      .first('accepted_at');
    const contract = await contractOf(file.contractId);
    expect(contract.due_on).toBe('2027-01-29');
    expect(contract.midpoint_on).toBe(midpointOf(easternDate(accepted.accepted_at), '2027-01-29'));
    expect(await midpointJob(file.contractId)).toEqual(afterMidpoint(contract.midpoint_on));
  });

  it('records the supplier’s answer as an event, and emails a risk to the client and the program team', async () => {
    const file = await aContractInProgress(t, { language: 'fr' });
    const id = file.contractId;
    const supplier = await signIn(t.app, file.supplier.email, SUPPLIER_PASSWORD, 'fr');
    const page = url('contract', { id }, 'fr');
    const onTrack = await supplier.post(
      url('contractCheckIn', { id }, 'fr'),
      { answer: 'on_track' },
      page,
    );
    expect(onTrack.status).toBe(303);
    expect(onTrack.headers.location).toBe(`${page}#check-in`);
    expect(await emailsTo(t, CLIENT, 'contract-at-risk')).toEqual([]);

    const note = 'L’API de test est en panne depuis lundi.';
    const atRisk = await supplier.post(
      url('contractCheckIn', { id }, 'fr'),
      { answer: 'at_risk', note },
      page,
    );
    expect(atRisk.status).toBe(303);
    const steps = await stepsOf(id, 'check_in');
    expect(steps).toMatchObject([
      {
        actor_id: file.supplier.id,
        from_state: null,
        to_state: null,
        payload: { answer: 'on_track' },
      },
      { reason: note, reason_lang: 'fr', payload: { answer: 'at_risk' } },
    ]);
    // Not a status change.
    expect((await contractOf(id)).status).toBe('in_progress');
    for (const email of [CLIENT, OFFICER]) {
      const [alert] = await emailsTo(t, email, 'contract-at-risk');
      expect(alert?.data, email).toMatchObject({ detail: note, link: { fr: page } });
    }
    const shown = await supplier.client.get(page);
    expect(shown.text).toContain('Dernier point d’étape\u00a0: À risque');
    expect(shown.text).toContain(note);
    const client = await signIn(t.app, CLIENT, PASSWORD);
    const staffPage = await client.client.get(url('contract', { id }, 'en'));
    expect(staffPage.text).toContain('Midpoint check-in by the supplier');
    expect(staffPage.text).toContain(
      `<blockquote lang="fr">${note.replace('’', '’')}</blockquote>`,
    );
    // Only the supplier checks in.
    const refused = await client.post(
      url('contractCheckIn', { id }, 'en'),
      { answer: 'on_track' },
      url('contract', { id }, 'en'),
    );
    expect(refused.status).toBe(403);
    expect(t.missingKeys).toEqual([]);
  });

  it('moves the due date and the midpoint on an extension, and tells the supplier', async () => {
    const file = await aContractInProgress(t);
    const id = file.contractId;
    const before = await contractOf(id);
    const officer = await signIn(t.app, OFFICER, PASSWORD);
    const res = await officer.post(
      url('contractExtension', { id }, 'en'),
      { dueOn: '2027-02-26', extensionReason: 'The repository was archived for two weeks.' },
      url('contract', { id }, 'en'),
    );
    expect(res.status).toBe(303);
    const after = await contractOf(id);
    expect(after.due_on).toBe('2027-02-26');
    expect(after.midpoint_on > before.midpoint_on).toBe(true);
    expect(await midpointJob(id)).toEqual(afterMidpoint(after.midpoint_on));
    const [step] = await stepsOf(id, 'extend_due_date');
    expect(step).toMatchObject({
      reason: 'The repository was archived for two weeks.',
      payload: {
        fromDueOn: '2027-01-29',
        toDueOn: '2027-02-26',
        fromMidpointOn: before.midpoint_on,
        toMidpointOn: after.midpoint_on,
      },
    });
    const [told] = await emailsTo(t, file.supplier.email, 'contract-extended');
    const email = t.deps.emailRenderer.render('contract-extended', 'en', told!.data);
    expect(email.text).toContain('from January 29, 2027 to February 26, 2027');
    expect(email.text).toContain('du 29 janvier 2027 au 26 février 2027');
    const page = await officer.client.get(url('contract', { id }, 'en'));
    expect(page.text).toContain('February 26, 2027');
    expect(page.text).toContain('Delivery date extended');
  });

  it('alerts the client and the program team once when the midpoint passes without a check-in', async () => {
    const file = await aContractInProgress(t);
    const id = file.contractId;
    const { midpoint_on: midpoint } = await contractOf(id);
    const logger = pino({ level: 'silent' });
    const worker = createJobRunner({
      connectionString: database.url,
      clock: t.clock,
      logger,
      jobs: [contractJobs({ db: database.db, clock: t.clock, logger })],
    });
    const end = afterMidpoint(midpoint);
    // The last minute of the midpoint's day: nothing yet.
    t.clock.set(new Date(end.getTime() - 60_000));
    await worker.runDueJobs(t.clock.now());
    await alertMissedMidpoints(database.db, t.clock);
    expect(await stepsOf(id, 'midpoint_missed')).toEqual([]);

    t.clock.set(new Date(end.getTime() + 60_000));
    expect(await worker.runDueJobs(t.clock.now())).toBeGreaterThanOrEqual(1);
    // Again, and the sweep: no second alert.
    await worker.runDueJobs(t.clock.now());
    await alertMissedMidpoints(database.db, t.clock);
    const alerts = (await emailsTo(t, CLIENT, 'contract-midpoint-missed')).filter(
      (m) => (m.data.link as { en: string }).en === url('contract', { id }, 'en'),
    );
    expect(alerts).toHaveLength(1);
    expect(
      (await emailsTo(t, OFFICER, 'contract-midpoint-missed')).filter(
        (m) => (m.data.link as { en: string }).en === url('contract', { id }, 'en'),
      ),
    ).toHaveLength(1);
    expect(await stepsOf(id, 'midpoint_missed')).toMatchObject([
      { actor_id: null, payload: { midpointOn: midpoint } },
    ]);
    const email = t.deps.emailRenderer.render('contract-midpoint-missed', 'fr', alerts[0]!.data);
    expect(email.text).toContain('will be delivered by January 29, 2027');
    expect(email.text).toContain('seront livrés d’ici le 29 janvier 2027');
    // None to the supplier; the page says the midpoint passed.
    expect(await emailsTo(t, file.supplier.email, 'contract-midpoint-missed')).toEqual([]);
    const client = await signIn(t.app, CLIENT, PASSWORD);
    const page = await client.client.get(url('contract', { id }, 'en'));
    expect(page.text).toContain('The midpoint passed without a check-in.');
  });
});
