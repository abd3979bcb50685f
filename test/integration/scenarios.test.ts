import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_NOW, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import {
  aCancelledOpportunity,
  aClosedOpportunity,
  aDeclinedRequest,
  aDraftRequest,
  aFundedRequest,
  aPublishedOpportunity,
  aReadyRequest,
  aReturnedRequest,
  aScreenedRequest,
  aSubmittedRequest,
  aTranslatedRequest,
  type Scenario,
} from '../helpers/scenarios.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  await insertDepartment(database.db);
});

afterAll(async () => {
  await database.drop();
});

/** The status changes the app recorded, in order: each starts where the previous ended. */
async function changesOf(s: Scenario) {
  const events = await database
    .db('events')
    .where({ opportunity_id: s.id })
    .whereNotNull('to_state')
    .orderBy('id');
  return events.map((e) => [e.action, e.from_state, e.to_state, e.at.toISOString()]);
}

describe('scenario builders', () => {
  it('reach each state through the actions, leaving the events the app records', async () => {
    const built = {
      draft: await aDraftRequest(t),
      submitted: await aSubmittedRequest(t),
      draftAgain: await aReturnedRequest(t),
      declined: await aDeclinedRequest(t),
      screened: await aScreenedRequest(t),
      funds_approved: await aFundedRequest(t),
      translated: await aTranslatedRequest(t),
      ready: await aReadyRequest(t),
      published: await aPublishedOpportunity(t),
      closed: await aClosedOpportunity(t),
      cancelled: await aCancelledOpportunity(t),
    };
    for (const [state, s] of Object.entries(built)) {
      const row = await database.db('opportunities').where({ id: s.id }).first();
      expect(row.status, state).toBe(state === 'draftAgain' ? 'draft' : state);
      expect(s.version, state).toBe(row.version);
      const changes = await changesOf(s);
      expect(changes.at(-1)?.[2], state).toBe(row.status);
      for (const [i, c] of changes.entries()) {
        if (i > 0) expect(c[1], `${state} ${c[0]}`).toBe(changes[i - 1]![2]);
      }
    }
    expect(t.clock.now().toISOString()).toBe(new Date(TEST_NOW).toISOString());
  });
});
