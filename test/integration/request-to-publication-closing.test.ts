import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { closingJobs } from '../../src/opportunities/closing.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import type { OutboxRow } from '../../src/platform/mail/outbox.ts';
import { url } from '../../src/platform/routes.ts';
import { previewTokenHash, previewTokenOf } from '../../src/publishing/preview-link.ts';
import { errorsOf, factsOf, fieldValue } from '../helpers/pages.ts';
import {
  DAY_MS,
  MINUTE_MS,
  staff,
  SUBSCRIBER,
  walks,
  type Walk,
} from '../helpers/publication-walks.ts';
import {
  editorTexts,
  expectStatusesFromEvents,
  publicationWorld,
  statusOf,
  walkOf,
} from '../helpers/publication-world.ts';
import { agent } from '../helpers/session.ts';

/**
 * Days 4 to 7 of the walks and the deadline: translation, the client's preview, publishing (and
 * its refusal without section 32), the closing job; then the events of the whole walk.
 */
const w = publicationWorld();
const { opportunity, eventsOf, reservationsOf, snapshot, newEmails, queue, emailOf, idOf } = w;
const as = (walk: Walk, name: string) => w.as(walk, name);
const html = (text: string) => parse(text);
const inputValue = (text: string, name: string) => fieldValue(text, name) ?? '';

describe.each(walks)('a request of $acronym.en is translated, published and closed', (walk) => {
  const { lang, say, path, day, onDay, expectStatus, expectHiddenFromOtherDepartment, builtUpTo } =
    walkOf(w, walk);
  const request = { id: 0, ref: '' };
  const own = { id: 0, ref: '' };

  beforeAll(async () => {
    const built = await builtUpTo('funds_approved');
    Object.assign(request, built.request);
    Object.assign(own, built.own);
  });

  it('day 4: the program officer records that translation was requested', async () => {
    onDay(4);
    const officer = await as(walk, 'officer');
    const editor = await officer.client.get(path('translation', { ref: request.ref })).expect(200);
    const res = await officer.post(path('translation', { ref: request.ref }), {
      ...editorTexts(editor.text),
      version: inputValue(editor.text, 'version'),
      intent: 'request',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${path('translation', { ref: request.ref })}?done=request`);
    expect((await opportunity(request.id)).translation_requested_at).toEqual(day(4));
    await expectStatus(officer, request.ref, 'funds_approved');
    expect((await newEmails()).sent).toEqual([]);
  });

  it('day 5: completing with a French criterion empty is refused naming it; then the translation is complete', async () => {
    onDay(5);
    const officer = await as(walk, 'officer');
    const editor = await officer.client.get(path('translation', { ref: request.ref })).expect(200);
    const full = { ...editorTexts(editor.text), ...walk.translation };
    const texts = { ...full, 'mandatory-2_fr': '' };
    const before = await snapshot(request.id);
    const refused = await officer.post(path('translation', { ref: request.ref }), {
      ...texts,
      version: inputValue(editor.text, 'version'),
      intent: 'complete',
    });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.text)).toEqual([say.missingFrench]);
    expect(html(refused.text).querySelector('.error-summary a')?.getAttribute('href')).toBe(
      '#mandatory-2_fr',
    );
    // The editor keeps what was typed (saved, by design, so nothing is lost) but the request
    // does not move: same status, no transition, no preview, nobody told.
    const after = await snapshot(request.id);
    expect(after.row).toMatchObject({
      status: 'funds_approved',
      translation_received_at: null,
      preview_token_hash: null,
    });
    const added = (await eventsOf(request.id)).slice(before.events).map((e) => e.action);
    expect(added.every((action) => action === 'translation_saved')).toBe(true);
    expect(after.emails).toBe(before.emails);
    expect(after.reservations).toEqual(before.reservations);

    const done = await officer.post(path('translation', { ref: request.ref }), {
      ...full,
      version: inputValue(refused.text, 'version'),
      intent: 'complete',
    });
    expect(done.status, errorsOf(done.text).join(' | ')).toBe(303);
    const translated = await opportunity(request.id);
    expect(translated.translation_received_at).toEqual(day(5));
    const token = previewTokenOf(w.t.deps.config.SESSION_SECRET, translated)!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(translated.preview_token_hash).toBe(previewTokenHash(token));
    await expectStatus(officer, request.ref, 'translated');
    const shown = await officer.client.get(path('request', { ref: request.ref })).expect(200);
    expect(factsOf(shown.text)).toMatchObject({
      [say.facts.requestedAt]: walk.translationShown.requested,
      [say.facts.receivedAt]: walk.translationShown.received,
    });

    const { rows, sent } = await newEmails();
    expect(sent).toEqual([['preview-ready', emailOf(walk, 'client'), lang]]);
    expect(rows[0]!.data.link).toEqual({
      en: url('preview', { token }, 'en'),
      fr: url('preview', { token }, 'fr'),
    });
    expect(await queue(await as(walk, 'client'), lang, 'client-previews')).toEqual([request.ref]);
    expect(await queue(await as(walk, 'client2'), lang, 'client-previews')).toEqual([]);
    expect(await queue(officer, lang, 'program_officer-toTranslate')).toEqual([]);
  });

  it('day 6: the client approves the preview reached from the email', async () => {
    onDay(6);
    const client = await as(walk, 'client');
    const [email] = await w.database
      .db('outbox')
      .where({ template: 'preview-ready', recipient: emailOf(walk, 'client') })
      .orderBy('id', 'desc');
    const previewPath: string = email.data.link[lang];
    const preview = await client.client.get(previewPath).expect(200);
    expect(preview.text).toContain(say.previewBanner);
    const approveForm = html(preview.text).querySelector('form#approve')!;
    expect(approveForm.getAttribute('action')).toBe(path('approvePreview', { ref: request.ref }));
    const res = await client.post(
      path('approvePreview', { ref: request.ref }),
      { version: approveForm.querySelector('input[name="version"]')!.getAttribute('value')! },
      previewPath,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${previewPath}?done=approved`);
    await expectStatus(client, request.ref, 'ready');
    expect((await newEmails()).sent).toEqual([
      ['ready-to-publish', emailOf(walk, 'officer'), lang],
    ]);
    expect(await queue(await as(walk, 'officer'), lang, 'program_officer-toPublish')).toEqual([
      request.ref,
    ]);
  });

  it('day 7: the program officer publishes; publishing without section 32 is refused', async () => {
    onDay(7);
    await expectHiddenFromOtherDepartment(request.ref, request.id);
    const officer = await as(walk, 'officer');
    const page = await officer.client.get(path('publish', { ref: request.ref })).expect(200);
    const form: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      form[name] = inputValue(page.text, name);
    }
    const res = await officer.post(path('publish', { ref: request.ref }), form);
    expect(res.status, errorsOf(res.text).join(' | ')).toBe(303);
    expect(res.headers.location).toBe(path('opportunity', { ref: request.ref }));
    const published = await opportunity(request.id);
    expect(published.opens_at).toEqual(day(7));
    expect(published.closes_at.toISOString()).toBe(walk.expectedClosesAt);
    await expectStatus(officer, request.ref, 'published');
    const publicPage = await agent(w.t.app).client.get(res.headers.location!).expect(200);
    expect(html(publicPage.text).querySelector('h1')?.textContent).toBe(walk.request[1].title);
    expect((await newEmails()).sent).toEqual([
      ['new-opportunity', SUBSCRIBER, 'en'],
      ['opportunity-published', emailOf(walk, 'client'), lang],
    ]);
    expect(await queue(officer, lang, 'program_officer-toPublish')).toEqual([]);

    // Publishing without section 32: the only way to reach 'ready' without a fund reservation is
    // to bypass the lifecycle, which the database refuses (a status needs its event)...
    await expect(
      w.database.db('opportunities').where({ id: own.id }).update({ status: 'ready' }),
    ).rejects.toThrow(/statuses change through the lifecycle only/);
    // ...so this one negative case lifts the triggers for one statement, as only a superuser can
    // (the final check below knows this request's status has no matching event).
    await w.database.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx('opportunities').where({ id: own.id }).update({ status: 'ready' });
    });
    w.forcedReady.push(own.id);
    // The database's own trigger refuses to publish it too.
    await expect(
      w.database.db('opportunities').where({ id: own.id }).update({ status: 'published' }),
    ).rejects.toThrow(/no section 32 fund reservation/);
    const ownPage = await officer.client.get(path('publish', { ref: own.ref })).expect(200);
    expect(ownPage.text).toContain(say.noFundsOnPage);
    const before = await snapshot(own.id);
    const ownForm: Record<string, string> = {};
    for (const name of ['version', 'openingDate', 'openingTime', 'closingDate', 'closingTime']) {
      ownForm[name] = inputValue(ownPage.text, name);
    }
    const refused = await officer.post(path('publish', { ref: own.ref }), ownForm);
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([say.noFunds]);
    expect(await snapshot(own.id)).toEqual(before);
    expect(before.row).toMatchObject({ status: 'ready', opens_at: null, closes_at: null });
  });

  it('at the deadline: the closing job closes it, as the system, and tells the client', async () => {
    const closesAt = new Date(walk.expectedClosesAt);
    // The job publishing scheduled at the deadline, run by a process's job runner.
    const logger = pino({ level: 'silent' });
    const closing = createJobRunner({
      connectionString: w.database.url,
      clock: w.t.clock,
      logger,
      jobs: [closingJobs({ db: w.database.db, clock: w.t.clock, logger })],
    });
    w.t.clock.set(new Date(closesAt.getTime() - MINUTE_MS).toISOString());
    expect(await closing.runDueJobs(w.t.clock.now())).toBe(0);
    expect((await opportunity(request.id)).status).toBe('published');

    w.t.clock.set(new Date(closesAt.getTime() + MINUTE_MS).toISOString());
    expect(await closing.runDueJobs(w.t.clock.now())).toBe(1);
    expect(await closing.runDueJobs(w.t.clock.now())).toBe(0);
    await expectStatus(await as(walk, 'client'), request.ref, 'closed');
    const publicPage = await agent(w.t.app)
      .client.get(path('opportunity', { ref: request.ref }))
      .expect(200);
    expect(statusOf(publicPage.text)).toBe(say.status.closed);
    expect((await newEmails()).sent).toEqual([['deadline-passed', emailOf(walk, 'client'), lang]]);
  });

  it('leaves one event per step, a day apart, with who, from and to — and the reservation', async () => {
    const steps = (await eventsOf(request.id)).filter(
      (e) =>
        (e.to_state !== null && e.action !== 'request_started') ||
        e.action === 'translation_requested',
    );
    const person = (name: string) => idOf(walk, name);
    expect(steps.map((e) => [e.action, e.actor_id, e.from_state, e.to_state])).toEqual([
      ['submit', person('client'), 'draft', 'submitted'],
      ['screen', person('officer'), 'submitted', 'screened'],
      ['approve_funds', person('manager'), 'screened', 'funds_approved'],
      ['translation_requested', person('officer'), null, null],
      ['complete_translation', person('officer'), 'funds_approved', 'translated'],
      ['approve_preview', person('client'), 'translated', 'ready'],
      ['publish', person('officer'), 'ready', 'published'],
      ['close', null, 'published', 'closed'],
    ]);
    expect(steps.map((e) => e.at.toISOString())).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => day(n).toISOString()),
      new Date(new Date(walk.expectedClosesAt).getTime() + MINUTE_MS).toISOString(),
    ]);
    // The time each step took: what the metrics will report.
    const started = (await eventsOf(request.id)).find((e) => e.action === 'request_started');
    expect(started.at).toEqual(day(0));
    const times: number[] = [started, ...steps].map((e) => e.at.getTime());
    const took = times.slice(1).map((ms, i) => ms - times[i]!);
    expect(took).toEqual([
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      DAY_MS,
      new Date(walk.expectedClosesAt).getTime() + MINUTE_MS - day(7).getTime(),
    ]);
    expect(await reservationsOf(request.id)).toHaveLength(1);
    expect(await reservationsOf(own.id)).toHaveLength(0);

    // Every email about this department's requests went to its own people (or the mailing list).
    const emails = ((await w.database.db('outbox').select()) as OutboxRow[]).filter(
      (e) =>
        [request.ref, own.ref].includes(String(e.data.reference)) ||
        e.idempotency_key.startsWith(`new-opportunity:${request.id}:`) ||
        e.idempotency_key === `deadline-passed:${request.id}`,
    );
    // 2 submitted, 2 × 3 section 32 managers, then one per step and the subscriber.
    expect(emails).toHaveLength(14);
    const ownPeople = [SUBSCRIBER, ...staff.map((s) => emailOf(walk, s.name))];
    for (const e of emails) expect(ownPeople).toContain(e.recipient);
    expect(w.t.missingKeys).toEqual([]);
  });
});

describe('after both walks', () => {
  it('has a matching event for every status: nothing but transition() wrote one', async () => {
    await expectStatusesFromEvents(w, ['closed', 'ready', 'closed', 'ready']);
    expect(w.t.missingKeys).toEqual([]);
  });
});
