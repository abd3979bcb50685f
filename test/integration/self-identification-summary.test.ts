import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationMachine } from '../../src/applications/machine.ts';
import { contractMachine } from '../../src/contracts/machine.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import type { SelfIdentificationAnswers } from '../../src/self-identification/questions.ts';
import { saveAnswers, selfIdentificationSummary } from '../../src/self-identification/repo.ts';
import { suppressCells } from '../../src/self-identification/suppression.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { currentUserOf } from '../helpers/scenario-people.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/** The answers only in aggregate, every count that could point at fewer than 5 people hidden. */
let database: TestDatabase;
let t: TestApp;
let opportunity: Scenario;
let suppliers = 0;
/** Five opportunities of another department, each applied to by the same supplier. */
const tbs: Scenario[] = [];

const none: SelfIdentificationAnswers = {
  outside_ncr: null,
  equity_group: null,
  small_business: null,
  first_gc_contract: null,
};

/** `count` new suppliers apply to the opportunity, each giving these answers (or none). */
async function applicants(
  count: number,
  answers: Partial<SelfIdentificationAnswers> | 'no answers',
  to: Scenario = opportunity,
  supplier?: number,
) {
  for (let i = 0; i < count; i += 1) {
    suppliers += 1;
    const id = supplier ?? (await aSupplier(t, `supplier.${suppliers}@example.com`));
    const application = await aSubmittedApplication(t, to, id);
    if (answers !== 'no answers') {
      await saveAnswers(database.db, application, { ...none, ...answers }, t.clock.now());
    }
  }
}

const summary = () => selfIdentificationSummary(database.db, { opportunityId: opportunity.id });

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  opportunity = await aPublishedOpportunity(t);
});
afterAll(() => database.drop());

describe('self-identification summary', () => {
  it('hides everything while fewer than 5 people applied', async () => {
    await applicants(4, { outside_ncr: 'yes' });
    expect(await summary()).toEqual({
      minimumShown: 5,
      applications: null,
      questions: Object.fromEntries(
        ['outside_ncr', 'equity_group', 'small_business', 'first_gc_contract'].map((q) => [
          q,
          { yes: null, no: null, prefer_not_to_say: null, not_answered: null },
        ]),
      ),
    });
  });

  it('shows a count of 5 people, and the zeros', async () => {
    await applicants(1, { outside_ncr: 'yes', small_business: 'prefer_not_to_say' });
    const s = await summary();
    expect(s.applications).toBe(5);
    expect(s.questions.outside_ncr).toEqual({
      yes: 5,
      no: 0,
      prefer_not_to_say: 0,
      not_answered: 0,
    });
    // One person declined: hidden, and so is the other count it could be worked out from.
    expect(s.questions.small_business).toEqual({
      yes: 0,
      no: 0,
      prefer_not_to_say: null,
      not_answered: null,
    });
    expect(s.questions.equity_group).toEqual({
      yes: 0,
      no: 0,
      prefer_not_to_say: 0,
      not_answered: 5,
    });
  });

  it('hides a second count when one hidden count could be worked out from the total', async () => {
    await applicants(3, { outside_ncr: 'no' });
    expect((await summary()).questions.outside_ncr).toEqual({
      yes: null,
      no: null,
      prefer_not_to_say: 0,
      not_answered: 0,
    });
    // Two small counts of 5 people together are hidden alone.
    await applicants(2, 'no answers');
    const s = await summary();
    expect(s.applications).toBe(10);
    expect(s.questions.outside_ncr).toEqual({
      yes: 5,
      no: null,
      prefer_not_to_say: 0,
      not_answered: null,
    });
  });

  it('counts people, not applications, and only submitted applications', async () => {
    const department = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
    const one = await aSupplier(t, 'many.applications@example.com');
    for (let i = 0; i < 5; i += 1) {
      tbs.push(await aPublishedOpportunity(t, { department }));
      await applicants(1, { first_gc_contract: 'yes' }, tbs[i], one);
    }
    const s = await selfIdentificationSummary(database.db, { departmentId: department });
    expect(s.applications).toBeNull();
    expect(s.questions.first_gc_contract.yes).toBeNull();

    // A draft (never submitted) is no applicant of the summary, answers or not.
    const drafter = await aSupplier(t, 'drafter@example.com');
    const draft = await database.db.transaction(async (trx) =>
      create(trx, applicationMachine, {
        values: {
          opportunity_id: opportunity.id,
          department_id: opportunity.departmentId,
          supplier_id: drafter,
        },
        actor: await currentUserOf(database.db, drafter),
        now: t.clock.now(),
      }),
    );
    await saveAnswers(database.db, draft.id, { ...none, outside_ncr: 'yes' }, t.clock.now());
    expect((await summary()).applications).toBe(10);
    const everywhere = await selfIdentificationSummary(database.db);
    expect(everywhere.applications).toBe(15);
    expect(everywhere.questions.first_gc_contract).toEqual({
      yes: null,
      no: 0,
      prefer_not_to_say: 0,
      not_answered: null,
    });
  });

  it('counts only the winners when asked: suppliers who accepted the terms', async () => {
    const winners: number[] = [];
    for (const o of tbs) {
      const winner = await aSupplier(t, `winner.${o.reference}@example.com`);
      const application = await aSubmittedApplication(t, o, winner);
      await saveAnswers(database.db, application, { ...none, outside_ncr: 'yes' }, t.clock.now());
      winners.push(application);
    }
    // Four accept their contract; the fifth is offered one and has not answered yet.
    for (const [i, applicationId] of winners.entries()) {
      const row = await database.db('applications').where({ id: applicationId }).first();
      const supplier = await currentUserOf(database.db, row.supplier_id);
      await database.db.transaction(async (trx) => {
        const { id } = await create(trx, contractMachine, {
          values: {
            opportunity_id: row.opportunity_id,
            department_id: row.department_id,
            application_id: applicationId,
            supplier_id: row.supplier_id,
            draw_position: 1,
          },
          actor: null,
          now: t.clock.now(),
        });
        if (i < 4) {
          await transition(trx, contractMachine, {
            id,
            action: 'accept_terms',
            actor: supplier,
            expectedVersion: 1,
            now: t.clock.now(),
          });
        }
      });
    }
    const four = await selfIdentificationSummary(database.db, { winnersOnly: true });
    expect(four.applications).toBeNull();
    await database.db.transaction(async (trx) => {
      const offered = await trx('contracts').where({ status: 'offered' }).first();
      const supplier = await currentUserOf(database.db, offered.supplier_id);
      await transition(trx, contractMachine, {
        id: offered.id,
        action: 'accept_terms',
        actor: supplier,
        expectedVersion: 1,
        now: t.clock.now(),
      });
    });
    const five = await selfIdentificationSummary(database.db, {
      departmentId: tbs[0]!.departmentId,
      winnersOnly: true,
    });
    expect(five.applications).toBe(5);
    expect(five.questions.outside_ncr).toEqual({
      yes: 5,
      no: 0,
      prefer_not_to_say: 0,
      not_answered: 0,
    });
  });

  it('hides every count below 5 people, and enough others that none can be worked out', () => {
    const cells = (people: number[]) =>
      Object.fromEntries(people.map((p, i) => [`c${i}`, { applications: p, people: p }]));
    const total = (people: number[]) => people.reduce((a, b) => a + b, 0);
    const shown = (people: number[]) => Object.values(suppressCells(cells(people), total(people)));
    expect(shown([10, 20, 30])).toEqual([10, 20, 30]);
    expect(shown([4, 20, 30])).toEqual([null, null, 30]);
    expect(shown([1, 1, 30, 40])).toEqual([null, null, null, 40]);
    expect(shown([3, 3, 0, 40])).toEqual([null, null, 0, 40]);
    expect(shown([2, 2])).toEqual([null, null]);
    // Five applications by one person are one person.
    expect(
      Object.values(
        suppressCells({ a: { applications: 5, people: 1 }, b: { applications: 9, people: 9 } }, 10),
      ),
    ).toEqual([null, null]);
  });
});
