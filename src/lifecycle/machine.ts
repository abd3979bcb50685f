import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import type { Role } from '../platform/roles.ts';
import type { Duty } from './segregation.ts';

/**
 * The entities with a lifecycle of their own; each is one machine, declared in its feature. All
 * but the proposal of a role grant (src/admin/) belong to an opportunity's file.
 */
type LifecycleEntity =
  'opportunity' | 'application' | 'contract' | 'invoice' | 'payment' | 'role_grant_proposal';

/** What every stateful row has; the engine reads nothing else of it. */
export interface StatefulRow {
  id: number;
  status: string;
  version: number;
}

interface GuardContext<Row> {
  trx: Knex.Transaction;
  record: Row;
  actor: CurrentUser | null;
  now: Date;
}

/** A rule that failed, as a locale key under `lifecycle.guards` and its values. */
export interface GuardFailure {
  code: string;
  values?: Record<string, string | number>;
}

export type Guard<Row> = (
  ctx: GuardContext<Row>,
) => Promise<GuardFailure | undefined> | GuardFailure | undefined;

/**
 * Who may take a step: department roles held in the record's department, `supplier` for the
 * supplier the record belongs to (the machine's `supplierOf`), or nobody but the system (`[]`).
 */
export type Actors = readonly Role[] | 'supplier';

export interface TransitionDef<Row, State extends string> {
  from: readonly State[];
  to: State;
  roles: Actors;
  /** The FAA duty this step is, for segregation of duties over the whole file. */
  duty?: Duty;
  /**
   * Which of the role's holders may take it (the requester only, say): asked by
   * availableActions() before a page offers the step, and by transition() before the guards.
   */
  who?: (record: Row, actor: CurrentUser | null) => GuardFailure | undefined;
  guards?: readonly Guard<Row>[];
  /** A written reason is required (declining, returning, cancelling, terminating). */
  needsReason?: boolean;
}

export interface Machine<
  Row extends StatefulRow = StatefulRow,
  State extends string = string,
  Action extends string = string,
> {
  entity: LifecycleEntity;
  table: string;
  states: readonly State[];
  initial: State;
  /** Who may create a record, and what must be true of the values first. */
  creation: { roles: Actors; guards?: readonly Guard<Row>[] };
  transitions: Readonly<Record<Action, TransitionDef<Row, State>>>;
  departmentOf(row: Row): number;
  /** The opportunity whose file the record is part of; null outside any file (no duty steps). */
  opportunityOf(row: Row): number | null;
  /** The supplier whose record it is, for `supplier` steps and the FAA's benefit rule. */
  supplierOf?(row: Row): number | null;
}

/**
 * The file whose history segregation of duties reads for a duty step. A machine outside any
 * opportunity's file declares no duty, so reaching here without one is a programming error.
 */
export function fileOf<Row extends StatefulRow>(
  machine: Pick<Machine<Row>, 'entity' | 'opportunityOf'>,
  row: Row,
): number {
  const opportunityId = machine.opportunityOf(row);
  if (opportunityId === null) {
    throw new Error(`${machine.entity} ${row.id}: a duty step needs an opportunity's file`);
  }
  return opportunityId;
}
