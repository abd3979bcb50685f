import { applicationMachine } from '../../src/applications/machine.ts';
import { create, transition } from '../../src/lifecycle/transition.ts';
import type { TestApp } from './app.ts';
import { insertPerson } from './people.ts';
import { currentUserOf } from './scenario-people.ts';
import type { Walked } from './scenario-steps.ts';

export const APPLICANT_PASSWORD = 'applicant passphrase 2026';

/** A supplier who can sign in; the part before the @ names them. */
export function aSupplier(t: TestApp, email: string, language: 'en' | 'fr' = 'en') {
  return insertPerson(t.deps.db, {
    email,
    kind: 'supplier',
    language,
    password: APPLICANT_PASSWORD,
    confirmedAt: t.clock.now(),
  });
}

/**
 * A supplier's application to an open opportunity, created and submitted through the lifecycle
 * engine by the supplier themself at the test clock's now (the application's form is the
 * applications feature's; these tests need only an application that was submitted).
 */
export async function aSubmittedApplication(
  t: TestApp,
  opportunity: Walked,
  supplierId: number,
): Promise<number> {
  const actor = await currentUserOf(t.deps.db, supplierId);
  const now = t.clock.now();
  return t.deps.db.transaction(async (trx) => {
    const { id } = await create(trx, applicationMachine, {
      values: {
        opportunity_id: opportunity.id,
        department_id: opportunity.departmentId,
        supplier_id: supplierId,
      },
      actor,
      now,
    });
    await transition(trx, applicationMachine, {
      id,
      action: 'submit',
      actor,
      expectedVersion: 1,
      now,
    });
    await trx('applications').where({ id }).update({ submitted_at: now });
    return id;
  });
}
