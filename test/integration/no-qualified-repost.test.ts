import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { defaultDepartment } from '../helpers/scenario-people.ts';
import { cancel } from '../helpers/scenario-steps.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { anEvaluatedOpportunity, emailsTo } from '../helpers/offers-world.ts';

let database: TestDatabase;
let t: TestApp;
let requester: number;
const CLIENT = { email: 'claire@esdc.example.ca', password: 'no qualified passphrase' };

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const department = await defaultDepartment(database.db);
  requester = await insertPerson(database.db, {
    ...CLIENT,
    confirmedAt: t.clock.now(),
    grants: [{ role: 'client', department }],
  });
});

afterAll(async () => {
  await database.drop();
});

describe('no qualified applicant (issue 11, item 9)', () => {
  it('re-posts the opportunity as a new draft request filled in from it, linked both ways', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: false }, { passes: false }], {
      requester,
    });
    const old = await database.db('opportunities').where({ id: e.s.id }).first();
    expect(old.status).toBe('no_qualified_applicant');
    // Each applicant has their debrief; the requester is asked to re-post or cancel.
    for (const a of e.applicants) {
      expect(await emailsTo(t, a.email, 'outcome-not-qualified')).toHaveLength(1);
    }
    const [notice] = await emailsTo(t, CLIENT.email, 'outcome-no-qualified');
    expect(notice?.data.link).toEqual({
      en: url('request', { ref: old.reference }, 'en'),
      fr: url('request', { ref: old.reference }, 'fr'),
    });

    const email = t.deps.emailRenderer.render('outcome-no-qualified', 'en', notice!.data);
    expect(email.text).toContain('You can re-post the opportunity as a new request');
    expect(t.missingKeys).toEqual([]);

    const browser = await signIn(t.app, CLIENT.email, CLIENT.password, 'fr');
    const requestPage = await browser.client.get(url('request', { ref: old.reference }, 'fr'));
    expect(requestPage.text).toContain(url('repostRequest', { ref: old.reference }, 'fr'));
    const page = url('repostRequest', { ref: old.reference }, 'fr');
    const reposted = await browser.post(page, {});
    expect(reposted.status).toBe(303);

    const fresh = await database.db('opportunities').where({ reposted_from_id: old.id }).first();
    expect(reposted.headers.location).toBe(
      url('requestStep', { ref: fresh.reference, step: 1 }, 'fr'),
    );
    expect(fresh).toMatchObject({
      status: 'draft',
      requester_id: requester,
      department_id: old.department_id,
      title_en: old.title_en,
      title_fr: old.title_fr,
      description_fr: old.description_fr,
      repository_url: old.repository_url,
      price_cents: old.price_cents,
      delivery_due_on: null,
      closes_at: null,
    });
    expect(fresh.reference).not.toBe(old.reference);
    expect(fresh.reference).toMatch(/^MA-2026-\d{4}$/);
    const criteria = (id: number) =>
      database
        .db('mandatory_criteria')
        .where({ opportunity_id: id })
        .orderBy('position')
        .select('position', 'text_en', 'text_fr');
    expect(await criteria(fresh.id)).toEqual(await criteria(old.id));
    // A new request: no fund reservation until section 32 approves it.
    expect(await database.db('fund_reservations').where({ opportunity_id: fresh.id })).toEqual([]);

    // Linked both ways: the new one's creation names the old, the old one's file the new.
    const started = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: fresh.id, action: 'request_started' })
      .first('payload', 'actor_id', 'to_state');
    expect(started).toMatchObject({
      actor_id: requester,
      to_state: 'draft',
      payload: { repostedFrom: old.reference },
    });
    const link = await database
      .db('events')
      .where({ entity_type: 'opportunity', entity_id: old.id, action: 'reposted' })
      .first('payload');
    expect(link.payload).toEqual({ as: fresh.reference });
    const oldPage = await browser.client.get(page);
    expect(oldPage.text).toContain(`Relancée sous la référence ${fresh.reference}.`);

    // Once only.
    const again = await browser.post(page, {}, url('request', { ref: old.reference }, 'fr'));
    expect(again.status).toBe(409);
    expect(again.text).toContain(`déjà été relancée sous la référence ${fresh.reference}`);
    expect(await database.db('opportunities').where({ reposted_from_id: old.id })).toHaveLength(1);
  });

  it('or cancels it, and finance is asked to release the reserved funds', async () => {
    const e = await anEvaluatedOpportunity(t, [{ passes: false }], { requester });
    await cancel(t, e.s, requester, 'Nobody qualified and the need has gone away since.');
    const o = await database.db('opportunities').where({ id: e.s.id }).first('status');
    expect(o.status).toBe('cancelled');
    const release = await database
      .db('outbox')
      .where({ template: 'funds-release-requested' })
      .whereRaw('idempotency_key like ?', [`funds-release-requested:${e.s.id}:%`]);
    expect(release.length).toBeGreaterThan(0);
    // A cancelled opportunity is not re-posted.
    const browser = await signIn(t.app, CLIENT.email, CLIENT.password);
    const page = url('repostRequest', { ref: e.s.reference }, 'en');
    const refused = await browser.post(page, {}, url('request', { ref: e.s.reference }, 'en'));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Only an opportunity with no qualified applicant');
  });
});
