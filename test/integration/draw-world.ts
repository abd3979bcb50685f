import { applicationMachine } from '../../src/applications/machine.ts';
import { fingerprintApplication } from '../../src/draw/service.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import type { TestApp } from '../helpers/app.ts';
import { insertPerson } from '../helpers/people.ts';
import { aPublishedOpportunity, currentUserOf, type Scenario } from '../helpers/scenarios.ts';
import { close } from '../helpers/scenario-steps.ts';

/**
 * The draw's tests' world: an opportunity published (its commitment made by publishing),
 * applications created and submitted through the lifecycle by suppliers of their own, each
 * fingerprinted as the submission does, and the closing job at the deadline.
 */

let suppliers = 0;

export async function aSupplier(t: TestApp, name?: string): Promise<number> {
  suppliers += 1;
  return insertPerson(t.deps.db, {
    email: `supplier${suppliers}@draw.example.com`,
    password: 'draw supplier passphrase',
    kind: 'supplier',
    name: name ?? `Supplier ${suppliers}`,
    confirmedAt: t.clock.now(),
  });
}

export async function anOpenOpportunity(t: TestApp): Promise<Scenario> {
  return aPublishedOpportunity(t, { closesAt: new Date(t.clock.now().getTime() + 86_400_000) });
}

/** A supplier's application, created through the lifecycle and left a draft. */
export async function aDraftApplication(
  t: TestApp,
  s: Scenario,
  supplierId?: number,
): Promise<number> {
  const supplier = await currentUserOf(t.deps.db, supplierId ?? (await aSupplier(t)));
  return t.deps.db.transaction(async (trx) => {
    const { id } = await create(trx, applicationMachine, {
      values: { opportunity_id: s.id, department_id: s.departmentId, supplier_id: supplier.id },
      actor: supplier,
      now: t.clock.now(),
    });
    return id;
  });
}

/** A supplier's application created and submitted, as the application form does. */
export async function aSubmittedApplication(
  t: TestApp,
  s: Scenario,
  supplierId?: number,
): Promise<number> {
  const id = await aDraftApplication(t, s, supplierId);
  const supplier = await currentUserOf(
    t.deps.db,
    Number((await t.deps.db('applications').where({ id }).first('supplier_id')).supplier_id),
  );
  const now = t.clock.now();
  return t.deps.db.transaction(async (trx) => {
    await transition(trx, applicationMachine, {
      id,
      action: 'submit',
      actor: supplier,
      expectedVersion: 1,
      now,
    });
    await fingerprintApplication(trx, id, now);
    return id;
  });
}

/** The closing job, just after the deadline: the fingerprint list is fixed. */
export async function closeAtDeadline(t: TestApp, s: Scenario): Promise<void> {
  const row = await t.deps.db('opportunities').where({ id: s.id }).first('closes_at');
  t.clock.set(new Date(new Date(row.closes_at).getTime() + 1000));
  await close(t, s);
}
