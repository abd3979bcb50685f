import { activeGrants } from '../../src/accounts/repo.ts';
import type { Db } from '../../src/db/knex.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import type { Role } from '../../src/platform/roles.ts';
import { insertDepartment } from './fixtures.ts';
import { insertPerson } from './people.ts';

/** The password of the staff the scenario builders create when a department has none. */
const SCENARIO_PASSWORD = 'scenario staff passphrase';

/** A person as a service takes them: who they are and the roles they hold now. */
export async function currentUserOf(db: Db, id: number): Promise<CurrentUser> {
  const user = await db('users').where({ id }).first();
  if (!user) throw new Error(`no user ${id}`);
  return {
    id,
    email: user.email,
    kind: user.kind,
    displayName: user.display_name,
    language: user.preferred_language,
    grants: await activeGrants(db, id),
  };
}

/** The department a scenario happens in when the test names none: the first one, or a new ESDC. */
export async function defaultDepartment(db: Db): Promise<number> {
  const first = await db('departments').orderBy('id').first('id');
  return first ? Number(first.id) : insertDepartment(db);
}

/**
 * Someone who holds `role` in the department, for a step the test does not assign: the first
 * such person already there (so a test's own staff act, and are the ones emailed), or else one
 * created for the scenarios and reused by every later scenario of the file.
 */
export async function staffFor(
  db: Db,
  departmentId: number,
  role: Role,
  options: { limitAtLeast?: number; notIds?: readonly number[]; now: Date },
): Promise<number> {
  const found = await db('role_grants as g')
    .join('users as u', 'u.id', 'g.user_id')
    .where({ 'g.role': role, 'g.department_id': departmentId })
    .whereNull('g.revoked_at')
    .whereNull('u.closed_at')
    .whereNotIn('g.user_id', options.notIds ?? [])
    .modify((q) => {
      if (options.limitAtLeast !== undefined) {
        q.where('g.delegated_limit_cents', '>=', options.limitAtLeast);
      }
    })
    .orderBy('g.user_id')
    .first('g.user_id as id');
  if (found) return Number(found.id);
  const taken = await db('users').where('email', 'like', `${role}.${departmentId}.%`).count();
  return insertPerson(db, {
    email: `${role}.${departmentId}.${Number(taken[0]?.count ?? 0) + 1}@scenarios.example.ca`,
    password: SCENARIO_PASSWORD,
    name: `${role.replace(/_/g, ' ')} ${departmentId}`,
    confirmedAt: options.now,
    grants: [
      {
        role,
        department: departmentId,
        limitCents: role === 'section32_manager' ? 1_000_000 : undefined,
      },
    ],
  });
}
