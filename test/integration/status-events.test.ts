import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrants } from '../../src/accounts/repo.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';

/** The database refuses a status that no event explains: only the engine writes statuses. */
let database: TestDatabase;
let esdc: number;
let client: CurrentUser;
const now = new Date('2026-11-23T15:00:00Z');
let references = 0;

const aDraft = () =>
  database.db.transaction((trx) =>
    create(trx, opportunityMachine, {
      values: {
        reference: `MA-2026-${String(500 + ++references).padStart(4, '0')}`,
        department_id: esdc,
        requester_id: client.id,
      },
      actor: client,
      now,
    }),
  );

beforeAll(async () => {
  database = await createTestDatabase();
  esdc = await insertDepartment(database.db);
  const [user] = await database
    .db('users')
    .insert({ email: 'client@example.gc.ca', kind: 'staff' })
    .returning('id');
  await database
    .db('role_grants')
    .insert({ user_id: user.id, role: 'client', department_id: esdc });
  client = {
    id: Number(user.id),
    email: 'client@example.gc.ca',
    kind: 'staff',
    displayName: 'client',
    language: 'en',
    grants: await activeGrants(database.db, user.id),
  };
});

afterAll(async () => {
  await database.drop();
});

describe('a status without its event', () => {
  it('cannot be inserted', async () => {
    await expect(
      database.db('opportunities').insert({
        reference: 'MA-2026-0999',
        department_id: esdc,
        status: 'draft',
      }),
    ).rejects.toThrow(/statuses change through the lifecycle only/);
  });

  it('cannot be written by an UPDATE, even inside a transaction that records other events', async () => {
    const { id } = await aDraft();
    await expect(
      database.db.transaction(async (trx) => {
        await trx('opportunities').where({ id }).update({ status: 'cancelled' });
      }),
    ).rejects.toThrow(/is cancelled, but its last event says draft/);
    expect((await database.db('opportunities').where({ id }).first()).status).toBe('draft');
  });

  it('is fine when the engine writes the status and its event together, twice in one transaction', async () => {
    const { id } = await aDraft();
    await database.db.transaction(async (trx) => {
      await transition(trx, opportunityMachine, {
        id,
        action: 'cancel',
        actor: client,
        expectedVersion: 1,
        now,
        reason: 'No longer needed by the program.',
      });
    });
    expect((await database.db('opportunities').where({ id }).first()).status).toBe('cancelled');
  });
});
