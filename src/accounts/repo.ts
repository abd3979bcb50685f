import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { Role } from './roles.ts';

export interface UserRow {
  id: number;
  email: string;
  kind: 'supplier' | 'staff';
  display_name: string;
  password_hash: string | null;
  email_confirmed_at: Date | null;
  preferred_language: Lang;
  closed_at: Date | null;
}

export interface Grant {
  role: Role;
  departmentId: number | null;
  limitCents: number | null;
}

type Conn = Db | Knex.Transaction;

export function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
  return db('users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
}

export function findUserById(db: Conn, id: number): Promise<UserRow | undefined> {
  return db('users').where({ id }).first();
}

export function activeGrants(db: Conn, userId: number): Promise<Grant[]> {
  return db('role_grants')
    .where({ user_id: userId })
    .whereNull('revoked_at')
    .select('role', 'department_id as departmentId', 'delegated_limit_cents as limitCents');
}

export async function recentFailures(db: Conn, emailKey: string, since: Date): Promise<number> {
  const row = await db('sign_in_failures')
    .where({ email_key: emailKey })
    .andWhere('at', '>', since)
    .count<{ n: number }>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

export async function recordFailure(db: Conn, emailKey: string, at: Date): Promise<void> {
  await db('sign_in_failures').insert({ email_key: emailKey, at });
}

export async function clearFailures(db: Conn, emailKey: string): Promise<void> {
  await db('sign_in_failures').where({ email_key: emailKey }).delete();
}
