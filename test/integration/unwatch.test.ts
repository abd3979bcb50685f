import { parse } from 'node-html-parser';
import { remindWatchersOfClosing } from '../../src/questions/watch-reminders.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { ADDENDUM_EN, mainText, PAGE_EN, questionsWorld } from '../helpers/questions-world.ts';
import { agent } from '../helpers/session.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

/** The unwatch link of watchers' emails, followed from the email that arrived at the SMTP server. */
const w = questionsWorld();
let mailbox: TestMailbox;
let ml: ReturnType<typeof mailingListWorld>;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  ml = mailingListWorld({ database: w.database, mailbox, t: w.t });
});

afterAll(async () => {
  await mailbox.close();
});

const WATCHER = 'watcher@example.com';
const isWatching = async () =>
  (
    await w.database
      .db('watchers')
      .where({ opportunity_id: w.ids.opportunity, user_id: w.ids.watcher })
  ).length === 1;

/** The program officer publishes an extension of the open opportunity to this day. */
async function anExtensionTo(closesOn: string) {
  const officer = await w.signedIn('officer@esdc.example.ca');
  const form = parse((await officer.client.get(ADDENDUM_EN).expect(200)).text);
  const values: Record<string, string> = {};
  for (const input of form.querySelectorAll('input[name], textarea[name]')) {
    const name = input.getAttribute('name')!;
    if (name === '_csrf' || input.getAttribute('type') === 'checkbox') continue;
    values[name] = input.tagName === 'TEXTAREA' ? input.text : (input.getAttribute('value') ?? '');
  }
  const res = await officer.post(ADDENDUM_EN, {
    ...values,
    addendum_en: `The closing date moves to ${closesOn}.`,
    addendum_fr: `La date de clôture est reportée au ${closesOn}.`,
    closes_on: closesOn,
    closes_time: '14:00',
  });
  expect(res.status).toBe(303);
}

describe('the unwatch link', () => {
  it('stops the watching from the addendum email, without signing in, and no watcher email follows', async () => {
    w.t.clock.set('2026-11-25T15:00:00Z');
    const watcher = await w.signedIn(WATCHER);
    expect((await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN)).status).toBe(303);

    await anExtensionTo('2026-12-07');
    const mail = await ml.newestTo(WATCHER);
    expect(mail.subject).toContain('MA-2026-0001');
    const link = ml.linkIn(mail, 'unwatch', 'en');
    expect(mail.html).toContain(`${w.t.deps.config.PUBLIC_URL}${link}`);
    // Only the SHA-256 of the token is kept.
    const token = link.split('/').at(-1)!;
    const stored = await w.database.db('unwatch_tokens').select('token_hash');
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);

    // A forged token gets the same pages and changes nothing.
    const stranger = agent(w.t.app);
    const forged = link.replace(token, 'A'.repeat(43));
    const forgedPage = await stranger.client.get(forged);
    expect(forgedPage.status).toBe(200);
    expect((await stranger.post(forged, {})).status).toBe(200);
    expect((await stranger.post('/en/unwatch/not-a-token', {})).status).toBe(200);
    expect(await isWatching()).toBe(true);

    // The link shows a button; the anonymous visitor's POST stops the watching at once.
    const visitor = agent(w.t.app);
    const page = await visitor.client.get(link);
    expect(page.status).toBe(200);
    expect(mainText(page.text)).toContain('Stop watching');
    expect(mainText(page.text)).toBe(mainText(forgedPage.text).replace('A'.repeat(43), token));
    const done = await visitor.post(link, {});
    expect(done.status).toBe(200);
    expect(mainText(done.text)).toContain('You are no longer watching');
    expect(await isWatching()).toBe(false);
    expect(await w.database.db('unwatch_tokens')).toHaveLength(0);
    // A used link: the same page, nothing else.
    expect((await agent(w.t.app).post(link, {})).status).toBe(200);

    const before = ml.messagesTo(WATCHER).length;
    w.t.clock.set('2026-11-25T16:00:00Z');
    await anExtensionTo('2026-12-08');
    await ml.deliver();
    expect(ml.messagesTo(WATCHER)).toHaveLength(before);
  });

  it('is in French in a French email, and a watcher email queued before unwatching is not sent', async () => {
    w.t.clock.set('2026-11-25T17:00:00Z');
    const watcher = await w.signedIn(WATCHER);
    expect((await watcher.post(`${PAGE_EN}/watch`, { watch: 'yes' }, PAGE_EN)).status).toBe(303);
    await anExtensionTo('2026-12-09');
    const mail = await ml.newestTo(WATCHER);
    const fr = ml.linkIn(mail, 'unwatch', 'fr');
    expect(fr).toMatch(/^\/fr\/ne-plus-suivre\//);
    expect(mail.text).toContain('Ne plus suivre cette occasion\u00a0:');

    // Another extension is queued, then the watcher unwatches from the French link.
    w.t.clock.set('2026-11-25T18:00:00Z');
    await anExtensionTo('2026-12-10');
    const before = ml.messagesTo(WATCHER).length;
    const visitor = agent(w.t.app);
    const done = await visitor.post(fr, {});
    expect(done.status).toBe(200);
    expect(mainText(done.text)).toContain('Vous ne suivez plus cette occasion');
    await ml.deliver();
    expect(ml.messagesTo(WATCHER)).toHaveLength(before);
    const [withdrawn] = await w.database
      .db('outbox')
      .where({ template: 'addendum-published', recipient: WATCHER })
      .orderBy('id', 'desc');
    expect(withdrawn.status).toBe('withdrawn');
    expect(w.t.missingKeys).toEqual([]);
  });

  it('is in the closing reminder too, and works from it', async () => {
    w.t.clock.set('2026-11-26T19:00:00Z');
    const watcher = await w.signedIn(WATCHER);
    const page = '/en/opportunities/MA-2026-0003';
    expect((await watcher.post(`${page}/watch`, { watch: 'yes' }, page)).status).toBe(303);
    w.t.clock.set('2026-11-26T20:00:00Z');
    expect(await remindWatchersOfClosing(w.database.db, w.t.clock)).toBe(1);
    const mail = await ml.newestTo(WATCHER);
    expect(mail.subject).toContain('MA-2026-0003');
    const link = ml.linkIn(mail, 'unwatch', 'en');
    expect((await agent(w.t.app).post(link, {})).status).toBe(200);
    const left = await w.database
      .db('watchers')
      .where({ opportunity_id: w.ids.closingSoon, user_id: w.ids.watcher });
    expect(left).toHaveLength(0);
  });
});
