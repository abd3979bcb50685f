import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { APPLICANT_PASSWORD, aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/people.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/** A supplier's download of their personal data (the Privacy Act's right of access). */
let database: TestDatabase;
let t: TestApp;
let opportunity: Scenario;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  opportunity = await aPublishedOpportunity(t);
  const mine = await aSupplier(t, 'amelie.tremblay@example.com', 'fr');
  const theirs = await aSupplier(t, 'other.supplier@example.com');
  await aSubmittedApplication(t, opportunity, mine);
  await aSubmittedApplication(t, opportunity, theirs);
});
afterAll(() => database.drop());

describe('the personal data download', () => {
  it('holds the supplier’s applications, self-identification and feedback, and nobody else’s', async () => {
    const me = await signIn(t.app, 'amelie.tremblay@example.com', APPLICANT_PASSWORD);
    const selfId = `/en/opportunities/${opportunity.reference}/self-identification`;
    await me.post(selfId, { action: 'save', outside_ncr: 'yes' });
    const feedback = `/en/opportunities/${opportunity.reference}/feedback`;
    await me.post(feedback, {
      step: 'application_submitted',
      ease: '4',
      would_help: 'More examples.',
    });
    const other = await signIn(t.app, 'other.supplier@example.com', APPLICANT_PASSWORD);
    await other.post(selfId, { action: 'save', small_business: 'yes' });

    const data = (await me.client.get('/en/account/my-data.json').expect(200)).body;
    expect(data.applications).toHaveLength(1);
    expect(data.applications[0]).toMatchObject({
      reference: opportunity.reference,
      status: 'submitted',
    });
    expect(data.selfIdentification).toEqual([
      expect.objectContaining({
        reference: opportunity.reference,
        outside_ncr: 'yes',
        small_business: null,
      }),
    ]);
    expect(data.feedback).toEqual([
      expect.objectContaining({
        step: 'application_submitted',
        ease: 4,
        would_help: 'More examples.',
      }),
    ]);
  });
});
