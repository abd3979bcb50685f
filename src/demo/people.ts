import type { Knex } from 'knex';
import { activeGrants } from '../accounts/repo.ts';
import { addCard } from '../payments/repo.ts';
import type { CurrentUser } from '../platform/auth.ts';
import type { Role } from '../platform/roles.ts';
import { demoAccounts } from './content/accounts.ts';
import { demoDepartments } from './content/departments.ts';
import type { DemoDepartment } from './content/types.ts';

export type DepartmentIds = Record<DemoDepartment, number>;

export async function insertDepartments(trx: Knex.Transaction): Promise<DepartmentIds> {
  const rows: { id: number; acronym_en: string }[] = await trx('departments')
    .insert(Object.values(demoDepartments))
    .returning(['id', 'acronym_en']);
  const idOf = (key: DemoDepartment) => {
    const row = rows.find((r) => r.acronym_en === demoDepartments[key].acronym_en);
    if (!row) throw new Error(`Department ${key} was not inserted`);
    return row.id;
  };
  return { ESDC: idOf('ESDC'), TBS: idOf('TBS') };
}

/**
 * Every demo account, with the same password, confirmed and holding its roles since `since`
 * (the first step of the demo's history: nobody acts before they exist). Returns each person
 * as the actions see them once signed in.
 */
export async function insertDemoAccounts(
  trx: Knex.Transaction,
  passwordHash: string,
  departments: DepartmentIds,
  since: Date,
): Promise<Map<string, CurrentUser>> {
  const people = new Map<string, CurrentUser>();
  for (const account of demoAccounts) {
    const [user]: { id: number }[] = await trx('users')
      .insert({
        email: account.email,
        kind: account.kind,
        display_name: account.name,
        password_hash: passwordHash,
        email_confirmed_at: since,
        preferred_language: account.language,
        created_at: since,
      })
      .returning('id');
    if (!user) throw new Error(`${account.email} was not inserted`);
    if (account.kind === 'supplier') {
      await trx('supplier_profiles').insert({
        user_id: user.id,
        legal_name: account.name,
        province: account.profile?.province ?? 'ON',
        gst_hst_number: account.profile?.gstHstNumber ?? null,
        paypal_email: account.profile?.paypalEmail ?? null,
        accepts_card: true,
      });
    }
    for (const grant of account.roles ?? []) {
      await trx('role_grants').insert({
        user_id: user.id,
        department_id: grant.department ? departments[grant.department] : null,
        role: grant.role,
        delegated_limit_cents: grant.limitCents ?? null,
        granted_at: since,
      });
    }
    const finance = account.roles?.find((g) => g.role === 'finance_officer' && g.department);
    if (account.card && finance?.department) {
      // As the acquisition cards screen adds it.
      await addCard(trx, {
        departmentId: departments[finance.department],
        cardholderId: user.id,
        last4: account.card.last4,
        limitCents: account.card.limitCents,
        now: since,
      });
    }
    people.set(account.email, {
      id: user.id,
      email: account.email,
      kind: account.kind,
      displayName: account.name,
      language: account.language,
      grants: await activeGrants(trx, user.id),
    });
  }
  return people;
}

/** The demo person holding `role` in the department: who takes that step of its requests. */
export function holderOf(
  people: Map<string, CurrentUser>,
  role: Role,
  departmentId: number,
): CurrentUser {
  for (const person of people.values()) {
    if (person.grants.some((g) => g.role === role && g.departmentId === departmentId)) {
      return person;
    }
  }
  throw new Error(`No demo account holds ${role} in department ${departmentId}`);
}
