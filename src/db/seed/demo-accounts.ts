import { hashPassword } from '../../accounts/passwords.ts';
import type { Role } from '../../platform/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../knex.ts';
import { seedDemoRequests } from './demo-requests.ts';

interface DemoAccount {
  email: string;
  name: string;
  kind: 'supplier' | 'staff';
  language: 'en' | 'fr';
  roles?: { role: Role; department?: 'ESDC' | 'TBS'; limitCents?: number }[];
}

/** One account per role in ESDC, a client in TBS, a platform administrator and two suppliers. */
export const demoAccounts: readonly DemoAccount[] = [
  {
    email: 'client@esdc.example.ca',
    name: 'Chloé Tremblay',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'client', department: 'ESDC' }],
  },
  {
    email: 'program@esdc.example.ca',
    name: 'Priya Singh',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'program_officer', department: 'ESDC' }],
  },
  {
    email: 's32@esdc.example.ca',
    name: 'Marc Gagnon',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'section32_manager', department: 'ESDC', limitCents: 1_000_000 }],
  },
  {
    email: 's34@esdc.example.ca',
    name: 'Grace Okafor',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'section34_manager', department: 'ESDC' }],
  },
  {
    email: 'finance@esdc.example.ca',
    name: 'Luc Bergeron',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'finance_officer', department: 'ESDC' }],
  },
  {
    email: 'admin@esdc.example.ca',
    name: 'Sarah MacDonald',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'department_admin', department: 'ESDC' }],
  },
  {
    email: 'client@tbs.example.ca',
    name: 'Julien Roy',
    kind: 'staff',
    language: 'fr',
    roles: [{ role: 'client', department: 'TBS' }],
  },
  {
    email: 'platform@example.ca',
    name: 'Amina Haddad',
    kind: 'staff',
    language: 'en',
    roles: [{ role: 'platform_admin' }],
  },
  { email: 'ada@supplier.example.com', name: 'Ada Nakamura', kind: 'supplier', language: 'en' },
  { email: 'etienne@supplier.example.com', name: 'Étienne Côté', kind: 'supplier', language: 'fr' },
];

/** Development only, once: every demo account gets the same password (DEMO_PASSWORD). */
export async function seedDemoAccountsOnce(
  db: Db,
  password: string,
  clock: Clock,
): Promise<boolean> {
  if (process.env.NODE_ENV === 'production')
    throw new Error('demo accounts are never created in production');
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  return db.transaction(async (trx) => {
    await trx.raw('LOCK TABLE users IN EXCLUSIVE MODE');
    if (await trx('users').first('id')) return false;
    const departments = new Map<string, number>(
      (await trx('departments').select('id', 'acronym_en')).map(
        (d: { id: number; acronym_en: string }) => [d.acronym_en, d.id],
      ),
    );
    for (const account of demoAccounts) {
      const [user] = await trx('users')
        .insert({
          email: account.email,
          kind: account.kind,
          display_name: account.name,
          password_hash: passwordHash,
          email_confirmed_at: now,
          preferred_language: account.language,
          created_at: now,
        })
        .returning('id');
      if (account.kind === 'supplier') {
        await trx('supplier_profiles').insert({
          user_id: user.id,
          legal_name: account.name,
          province: 'ON',
          accepts_card: true,
        });
      }
      for (const grant of account.roles ?? []) {
        await trx('role_grants').insert({
          user_id: user.id,
          department_id: grant.department ? departments.get(grant.department) : null,
          role: grant.role,
          delegated_limit_cents: grant.limitCents ?? null,
          granted_at: now,
        });
      }
    }
    const esdc = departments.get('ESDC');
    if (esdc !== undefined) await seedDemoRequests(trx, clock, esdc);
    return true;
  });
}
