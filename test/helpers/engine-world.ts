import { afterAll, beforeAll } from 'vitest';
import { activeGrants } from '../../src/accounts/repo.ts';
import {
  create,
  transition,
  TransitionError,
  type TransitionInput,
} from '../../src/lifecycle/transition.ts';
import { opportunityMachine, type OpportunityAction } from '../../src/opportunities/machine.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Role } from '../../src/platform/roles.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertDepartment } from './fixtures.ts';

/**
 * The engine's own test: people with their roles, drafts the engine creates, and each step as a
 * direct call of transition() at one fixed instant. Importing this module gives the test file its
 * database and people before its tests (the hooks below).
 */
export let database: TestDatabase;
let esdc: number;
let tbs: number;
export const clock = fixedClock('2026-11-23T15:00:00Z');
export const people: Record<string, CurrentUser> = {};
let sequence = 0;

async function person(
  name: string,
  grants: { role: Role; department: number; limitCents?: number }[],
) {
  const [user] = await database
    .db('users')
    .insert({ email: `${name}@example.gc.ca`, kind: 'staff' })
    .returning('id');
  for (const g of grants) {
    await database.db('role_grants').insert({
      user_id: user.id,
      role: g.role,
      department_id: g.department,
      delegated_limit_cents: g.limitCents ?? null,
    });
  }
  people[name] = {
    id: user.id,
    email: `${name}@example.gc.ca`,
    kind: 'staff',
    displayName: name,
    language: 'en',
    grants: await activeGrants(database.db, user.id),
  };
}

/**
 * A draft written in full in both languages, created by the engine as the request form does,
 * on a cost centre and repository of its own (drafts here are not related purchases) unless
 * given. Its requester is `requester` (the client by default).
 */
export async function draft(
  options: { requester?: CurrentUser; priceCents?: number; costCentre?: string } = {},
): Promise<number> {
  sequence += 1;
  const costCentre = options.costCentre ?? `LC-${sequence}`;
  if (!options.costCentre) {
    await database
      .db('departments')
      .where({ id: esdc })
      .update({ cost_centres: database.db.raw('array_append(cost_centres, ?)', [costCentre]) });
  }
  const requester = options.requester ?? people.client!;
  const reference = `MA-2026-${String(100 + sequence).padStart(4, '0')}`;
  return database.db.transaction(async (trx) => {
    const { id } = await create(trx, opportunityMachine, {
      values: {
        reference,
        department_id: esdc,
        requester_id: requester.id,
        source_language: 'en',
        title_en: `Fix the form validator (${reference})`,
        title_fr: `Corriger le validateur de formulaires (${reference})`,
        summary_en: 'Add French messages to the validator.',
        summary_fr: 'Ajouter des messages en français au validateur.',
        description_en: '### Background\n\nThe validator only speaks English.',
        description_fr: '### Contexte\n\nLe validateur ne parle qu’anglais.',
        skills_en: ['TypeScript', 'Accessibility'],
        skills_fr: ['TypeScript', 'Accessibilité'],
        repository_url: `https://github.com/canada-ca/lifecycle-${sequence}`,
        licence: 'MIT',
        price_cents: options.priceCents ?? 650_000,
        opens_at: '2026-11-16T19:00:00Z',
        closes_at: '2026-12-04T19:00:00Z',
        delivery_due_on: '2027-01-29',
        cost_centre: costCentre,
        fund: '1000',
        gl_account: '52202',
        payment_method: 'paypal_payout',
      },
      actor: requester,
      now: clock.now(),
    });
    await trx('mandatory_criteria').insert([
      {
        opportunity_id: id,
        position: 1,
        text_en: 'A merged pull request in TypeScript',
        text_fr: 'Une demande de tirage fusionnée en TypeScript',
      },
      {
        opportunity_id: id,
        position: 2,
        text_en: 'Experience with i18n',
        text_fr: 'Expérience de l’internationalisation',
      },
    ]);
    await trx('acceptance_criteria').insert([
      {
        opportunity_id: id,
        position: 1,
        text_en: 'All tests pass',
        text_fr: 'Tous les tests réussissent',
      },
    ]);
    return id;
  });
}

export const version = async (id: number): Promise<number> =>
  (await database.db('opportunities').where({ id }).first('version')).version;

type Step = Omit<TransitionInput<OpportunityAction>, 'expectedVersion' | 'id' | 'now'> & {
  opportunityId: number;
  expectedVersion?: number;
};

export async function act({ opportunityId, ...input }: Step) {
  const expectedVersion = input.expectedVersion ?? (await version(opportunityId));
  return database.db.transaction((trx) =>
    transition(trx, opportunityMachine, {
      ...input,
      id: opportunityId,
      now: clock.now(),
      expectedVersion,
    }),
  );
}

export async function refusal(input: Parameters<typeof act>[0]) {
  try {
    await act(input);
  } catch (error) {
    if (error instanceof TransitionError) return error.failure;
    throw error;
  }
  throw new Error('the transition was not refused');
}

/** The section 32 record the approval screen writes with the approve_funds transition. */
export async function reserveFunds(opportunityId: number) {
  await database.db('fund_reservations').insert({
    opportunity_id: opportunityId,
    department_id: esdc,
    reservation_number: 'FR-1',
    amount_cents: 747_500,
    cost_centre: '100234',
    fund: '1000',
    gl_account: '52202',
    delegated_limit_cents: 1_000_000,
    attestation: 'test',
    approved_by: people.manager!.id,
    approved_at: clock.now(),
  });
}

export const eventsOf = (id: number) =>
  database.db('events').where({ entity_type: 'opportunity', entity_id: id }).orderBy('id');

beforeAll(async () => {
  database = await createTestDatabase();
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
  await person('client', [{ role: 'client', department: esdc }]);
  await person('officer', [{ role: 'program_officer', department: esdc }]);
  await person('tbsOfficer', [{ role: 'program_officer', department: tbs }]);
  await person('manager', [{ role: 'section32_manager', department: esdc, limitCents: 1_000_000 }]);
  await person('smallManager', [
    { role: 'section32_manager', department: esdc, limitCents: 500_000 },
  ]);
  await person('clientManager', [
    { role: 'client', department: esdc },
    { role: 'section32_manager', department: esdc, limitCents: 1_000_000 },
  ]);
});

afterAll(async () => {
  await database.drop();
});
