import { applicationMachine } from '../../src/applications/machine.ts';
import { drawOrder } from '../../src/draw/service.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import { sendOutcomes } from '../../src/offers/outcomes.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { TestApp } from './app.ts';
import { insertPerson } from './people.ts';
import { aPublishedOpportunity, currentUserOf, type Scenario } from './scenarios.ts';
import { close } from './scenario-steps.ts';

/**
 * The offers' tests' world: an opportunity published and closed through the scenario builders,
 * applications created and submitted through the lifecycle before the deadline, each passed or
 * failed by the requester with a reason per criterion, the evaluation completed, the draw run
 * (DRAW's drawOrder keeps the order in draw_results) and `draw` taken by the program officer —
 * then sendOutcomes, as the draw calls it. The per-criterion reasons are inserted in the
 * evaluation's table directly (a local seed: the evaluation's screens are tested on their own).
 */

export const SUPPLIER_PASSWORD = 'offers supplier passphrase';
let suppliers = 0;

export interface Applicant {
  userId: number;
  email: string;
  language: Lang;
  applicationId: number;
  passes: boolean;
}

export interface Evaluated {
  s: Scenario;
  applicants: Applicant[];
}

const reasonFor = (passes: boolean, criterion: number, who: number) =>
  passes
    ? `Applicant ${who} shows criterion ${criterion} with two merged pull requests.`
    : `Applicant ${who} gives no example of criterion ${criterion} in any public repository.`;

/**
 * Submitted applications for an opportunity closing tomorrow, each passing or failing every
 * criterion as `plan` says, evaluated and closed; the draw is left to the caller.
 */
export async function anEvaluatedOpportunity(
  t: TestApp,
  plan: { passes: boolean; language?: Lang }[],
  options: { requester?: number } = {},
): Promise<Evaluated> {
  const { db } = t.deps;
  const s = await aPublishedOpportunity(t, {
    requester: options.requester,
    closesAt: new Date(t.clock.now().getTime() + 86_400_000),
    mandatory: [
      {
        en: 'Has written TypeScript for a web form',
        fr: 'A écrit du TypeScript pour un formulaire Web',
      },
      {
        en: 'Has contributed to an open-source project',
        fr: 'A contribué à un projet de source ouverte',
      },
    ],
  });
  const applicants: Applicant[] = [];
  for (const p of plan) {
    suppliers += 1;
    const email = `supplier${suppliers}@offers.example.com`;
    const language = p.language ?? 'en';
    const userId = await insertPerson(db, {
      email,
      password: SUPPLIER_PASSWORD,
      kind: 'supplier',
      language,
      confirmedAt: t.clock.now(),
    });
    const supplier = await currentUserOf(db, userId);
    const applicationId = await db.transaction(async (trx) => {
      const { id } = await create(trx, applicationMachine, {
        values: { opportunity_id: s.id, department_id: s.departmentId, supplier_id: userId },
        actor: supplier,
        now: t.clock.now(),
      });
      await transition(trx, applicationMachine, {
        id,
        action: 'submit',
        actor: supplier,
        expectedVersion: 1,
        now: t.clock.now(),
      });
      return id;
    });
    applicants.push({ userId, email, language, applicationId, passes: p.passes });
  }
  const closesAt = (await db('opportunities').where({ id: s.id }).first('closes_at')).closes_at;
  t.clock.set(new Date(new Date(closesAt).getTime() + 1000));
  await close(t, s);

  const requester = await currentUserOf(db, s.people.requester);
  t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
  await db.transaction(async (trx) => {
    const now = t.clock.now();
    const criteria: { id: number; position: number; version: number }[] = await trx(
      'mandatory_criteria',
    )
      .where({ opportunity_id: s.id })
      .orderBy('position')
      .select('id', 'position', 'version');
    for (const [i, a] of applicants.entries()) {
      for (const c of criteria) {
        await trx('evaluation_decisions').insert({
          opportunity_id: s.id,
          application_id: a.applicationId,
          mandatory_criterion_id: c.id,
          criterion_version: c.version,
          // A failing applicant meets the first criterion and not the second.
          decision: a.passes || c.position === 1 ? 'pass' : 'fail',
          reason: reasonFor(a.passes || c.position === 1, c.position, i + 1),
          decided_by: requester.id,
          decided_at: now,
        });
      }
      await transition(trx, applicationMachine, {
        id: a.applicationId,
        action: a.passes ? 'pass' : 'fail',
        actor: requester,
        expectedVersion: 2,
        now,
      });
    }
    const o = await trx('opportunities').where({ id: s.id }).first('version');
    const evaluated = await transition(trx, opportunityMachine, {
      id: s.id,
      action: 'complete_evaluation',
      actor: requester,
      expectedVersion: o.version,
      now,
    });
    if (!applicants.some((a) => a.passes)) {
      await transition(trx, opportunityMachine, {
        id: s.id,
        action: 'find_no_qualified_applicant',
        actor: requester,
        expectedVersion: evaluated.version,
        now,
      });
      await sendOutcomes(trx, s.id, now);
    }
  });
  return { s, applicants };
}

/** The draw among the passers, by the program officer, and the outcomes it sends. */
export async function theDraw(t: TestApp, e: Evaluated): Promise<Applicant[]> {
  const { db } = t.deps;
  const officer = await currentUserOf(db, e.s.people.officer!);
  const now = t.clock.now();
  const order = await db.transaction(async (trx) => {
    const passing = e.applicants.filter((a) => a.passes).map((a) => a.applicationId);
    const ranked = await drawOrder(trx, e.s.id, passing, { config: t.deps.config, now });
    const o = await trx('opportunities').where({ id: e.s.id }).first('version');
    await transition(trx, opportunityMachine, {
      id: e.s.id,
      action: 'draw',
      actor: officer,
      expectedVersion: o.version,
      now,
    });
    await sendOutcomes(trx, e.s.id, now);
    return ranked;
  });
  return order.map((r) => e.applicants.find((a) => a.applicationId === r.applicationId)!);
}

/** The emails queued to one address, by template. */
export async function emailsTo(t: TestApp, email: string, template?: string) {
  const rows: { template: string; language: string; data: Record<string, unknown> }[] = await t.deps
    .db('outbox')
    .where({ recipient: email })
    .modify((q) => {
      if (template) q.where({ template });
    })
    .orderBy('id')
    .select('template', 'language', 'data');
  return rows;
}

export async function contractsOf(t: TestApp, opportunityId: number) {
  return t.deps
    .db('contracts')
    .where({ opportunity_id: opportunityId })
    .orderBy('id')
    .select(
      'id',
      'application_id',
      'supplier_id',
      'status',
      'draw_position',
      'respond_by',
      'version',
    );
}
