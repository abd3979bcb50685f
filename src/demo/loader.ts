import type { AppDeps } from '../platform/deps.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { fixedClock } from '../platform/clock.ts';
import { perform } from './actions.ts';
import { demoOpportunities } from './content/index.ts';
import { insertDemoAccounts, insertDepartments } from './people.ts';
import { inTimeOrder, planDemo, type DemoPlan } from './timeline.ts';

/**
 * Development only, once: the demo departments and accounts, then every demo opportunity's
 * history replayed in time order through the real actions (the request form, screening,
 * section 32, translation, preview, publishing, addenda, cancellation, the closing job), each as
 * the demo person whose job it is, with the clock set to the step's time. So every status comes
 * from transition(), every event has an actor (but the closing job's), every public opportunity
 * has its fund reservation, and the rules a person meets hold for the demo too.
 *
 * All in one transaction (the actions' own become savepoints): the demo loads entirely or not at
 * all, and a second start, or a second process, finds the departments and does nothing.
 * Returns true when it loaded the demo.
 */
export async function seedDemoOnce(deps: AppDeps, password: string): Promise<boolean> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The demo data must never be loaded in production.');
  }
  const now = deps.clock.now();
  const steps = inTimeOrder(planDemo(demoOpportunities, now));
  const first = steps[0]?.at ?? now;
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (trx) => {
    // Two processes starting at once must not both find the table empty.
    await trx.raw('LOCK TABLE departments IN SHARE ROW EXCLUSIVE MODE');
    if (await trx('departments').first('id')) return false;
    const departments = await insertDepartments(trx);
    const people = await insertDemoAccounts(trx, passwordHash, departments, first);
    const clock = fixedClock(first);
    const replay = {
      deps: { ...deps, db: trx, clock },
      people,
      departments,
      references: new Map<DemoPlan, string>(),
    };
    for (const step of steps) {
      clock.set(step.at);
      await perform(replay, step.plan, step.action);
    }
    return true;
  });
}
