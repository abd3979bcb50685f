import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { easternInstant } from '../platform/dates.ts';
import type { AuditFilters } from './schemas.ts';

/** Whose log: a department's (its own events and every event of its opportunities' files), or one opportunity's. */
export type AuditScope = { departmentId: number } | { opportunityId: number };

export interface AuditRow {
  id: number;
  at: Date;
  entity_type: string;
  entity_id: number;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  reason_lang: string | null;
  duty: string | null;
  actor_id: number | null;
  actor_name: string | null;
  actor_email: string | null;
  actor_kind: 'staff' | 'supplier' | null;
  reference: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

function inScope(db: Db, scope: AuditScope) {
  const q = db('events as e');
  if ('opportunityId' in scope) return q.where('e.opportunity_id', scope.opportunityId);
  // Every event of an opportunity's file carries its department too (events_file_known).
  return q.where('e.department_id', scope.departmentId);
}

function filtered(db: Db, scope: AuditScope, f: AuditFilters): Knex.QueryBuilder {
  const q = inScope(db, scope);
  if (f.person !== undefined) q.where('e.actor_id', f.person);
  if (f.action !== undefined) q.where('e.action', f.action);
  // Eastern calendar days, both ends included.
  if (f.from) q.where('e.at', '>=', easternInstant(f.from, 0));
  if (f.to) {
    const dayAfter = new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString();
    q.where('e.at', '<', easternInstant(dayAfter.slice(0, 10), 0));
  }
  return q;
}

const columns = [
  'e.id',
  'e.at',
  'e.entity_type',
  'e.entity_id',
  'e.action',
  'e.from_state',
  'e.to_state',
  'e.reason',
  'e.reason_lang',
  'e.duty',
  'e.actor_id',
  'u.display_name as actor_name',
  'u.email as actor_email',
  'u.kind as actor_kind',
  'o.reference',
];

/** The events that match, newest first: one page of them, or all (`page` undefined) for the CSV. */
export function auditEvents(
  db: Db,
  scope: AuditScope,
  f: AuditFilters,
  page?: number,
): Promise<AuditRow[]> {
  const q = filtered(db, scope, f)
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('opportunities as o', 'o.id', 'e.opportunity_id')
    .orderBy([
      { column: 'e.at', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])
    .select(columns);
  if (page !== undefined) q.limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE);
  return q;
}

export async function countAuditEvents(
  db: Db,
  scope: AuditScope,
  f: AuditFilters,
): Promise<number> {
  const row = await filtered(db, scope, f).count<{ n: string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** The actions and the people in the scope's log, for the filters' choices. */
export async function auditChoices(db: Db, scope: AuditScope) {
  const actions: { action: string }[] = await inScope(db, scope)
    .distinct('e.action')
    .orderBy('e.action');
  const people: { id: number; name: string | null; email: string; kind: 'staff' | 'supplier' }[] =
    await db('users as u')
      .whereIn('u.id', inScope(db, scope).whereNotNull('e.actor_id').select('e.actor_id'))
      .orderBy('u.email')
      .select('u.id', 'u.display_name as name', 'u.email', 'u.kind');
  return { actions: actions.map((a) => a.action), people };
}

export async function findOpportunityByReference(
  db: Db,
  reference: string,
): Promise<{ id: number; reference: string; department_id: number } | undefined> {
  return db('opportunities').where({ reference }).first('id', 'reference', 'department_id');
}
