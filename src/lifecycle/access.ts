import { hasRole, type CurrentUser } from '../platform/auth.ts';
import type { Actors, Machine, StatefulRow, TransitionDef } from './machine.ts';

/** May this person take a step reserved to `roles` on a record of this machine? */
export function mayAct<Row extends StatefulRow>(
  machine: Machine<Row>,
  roles: Actors,
  row: Row,
  actor: CurrentUser | null,
): boolean {
  if (!actor) return roles !== 'supplier' && roles.length === 0;
  if (roles === 'supplier') {
    return actor.kind === 'supplier' && machine.supplierOf?.(row) === actor.id;
  }
  return roles.length > 0 && hasRole(actor, roles, machine.departmentOf(row));
}

/**
 * What this person may do now, for the pages: the steps whose state and roles fit. Guards are
 * not run (they may need the database); a shown step can still be refused with its reason.
 */
export function availableActions<Row extends StatefulRow, Action extends string>(
  machine: Machine<Row, string, Action>,
  row: Row,
  actor: CurrentUser | null,
): Action[] {
  return (Object.keys(machine.transitions) as Action[]).filter((action) => {
    const def: TransitionDef<Row, string> = machine.transitions[action];
    return (
      actor !== null &&
      def.from.includes(row.status) &&
      mayAct(machine, def.roles, row, actor) &&
      !def.who?.(row, actor)
    );
  });
}
