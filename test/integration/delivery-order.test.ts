import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractMachine } from '../../src/contracts/machine.ts';
import { transition } from '../../src/lifecycle/transition.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aContractInProgress, aDeliveredContract } from '../helpers/contract-world.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await database.drop();
});

/** The bare lifecycle step, as code that forgot the delivery service would take it. */
async function bareStep(
  contractId: number,
  action: 'deliver' | 'accept_work' | 'request_revisions',
  actor: CurrentUser,
  before?: (trx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<unknown>,
) {
  const { version } = await database.db('contracts').where({ id: contractId }).first('version');
  return database.db.transaction(async (trx) => {
    await before?.(trx);
    return transition(trx, contractMachine, {
      id: contractId,
      action,
      actor,
      expectedVersion: version,
      now: t.clock.now(),
      reason: action === 'request_revisions' ? 'Missing tests.' : undefined,
    });
  });
}

describe('the order of delivery and acceptance, held by the database', () => {
  it('refuses a delivery without its round, and an acceptance or revisions without a review', async () => {
    const working = await aContractInProgress(t);
    await expect(bareStep(working.contractId, 'deliver', working.supplier)).rejects.toThrow(
      /delivered without a new delivery round/,
    );

    const delivered = await aDeliveredContract(t);
    await expect(bareStep(delivered.contractId, 'accept_work', delivered.client)).rejects.toThrow(
      /accepted without every work acceptance criterion met/,
    );
    await expect(
      bareStep(delivered.contractId, 'request_revisions', delivered.client),
    ).rejects.toThrow(/back in progress without a review asking for revisions/);

    // A review that says "accepted" while a criterion is not met does not accept either.
    const [delivery] = await database
      .db('deliveries')
      .where({ contract_id: delivered.contractId })
      .select('id');
    const [criterion] = await database
      .db('acceptance_criteria')
      .where({ opportunity_id: delivered.s.id })
      .select('id', 'version');
    await expect(
      bareStep(delivered.contractId, 'accept_work', delivered.client, async (trx) => {
        const [review] = await trx('delivery_reviews')
          .insert({
            delivery_id: delivery.id,
            outcome: 'accepted',
            reason_lang: 'en',
            reviewed_by: delivered.client.id,
            reviewed_at: t.clock.now(),
          })
          .returning('id');
        await trx('delivery_review_criteria').insert({
          review_id: review.id,
          acceptance_criterion_id: criterion.id,
          criterion_version: criterion.version,
          met: false,
          comment: 'Tests fail.',
        });
      }),
    ).rejects.toThrow(/accepted without every work acceptance criterion met/);
    expect(
      (await database.db('contracts').where({ id: delivered.contractId }).first('status')).status,
    ).toBe('delivered');
  });

  it('refuses a criterion judged not met without a comment', async () => {
    const delivered = await aDeliveredContract(t);
    const [delivery] = await database
      .db('deliveries')
      .where({ contract_id: delivered.contractId })
      .select('id');
    const [criterion] = await database
      .db('acceptance_criteria')
      .where({ opportunity_id: delivered.s.id })
      .select('id', 'version');
    await expect(
      database.db.transaction(async (trx) => {
        const [review] = await trx('delivery_reviews')
          .insert({
            delivery_id: delivery.id,
            outcome: 'revisions',
            reason_lang: 'en',
            reviewed_by: delivered.client.id,
            reviewed_at: t.clock.now(),
          })
          .returning('id');
        await trx('delivery_review_criteria').insert({
          review_id: review.id,
          acceptance_criterion_id: criterion.id,
          criterion_version: criterion.version,
          met: false,
          comment: '  ',
        });
      }),
    ).rejects.toThrow(/delivery_review_criteria_comment/);
  });
});
