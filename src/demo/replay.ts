import type { AppDeps } from '../platform/deps.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { DepartmentIds } from './people.ts';
import type { DemoPlan } from './timeline.ts';

/** What a replay of the demo's histories carries from one step to the next. */
export interface Replay {
  deps: AppDeps;
  people: Map<string, CurrentUser>;
  departments: DepartmentIds;
  /** Each plan's reference, from the moment its request was started. */
  references: Map<DemoPlan, string>;
}
