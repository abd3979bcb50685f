import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Lang } from '../platform/i18n.ts';
import type { Grant } from '../platform/roles.ts';
import type { TokenPurpose } from './tokens.ts';

export interface UserRow {
  id: number;
  email: string;
  kind: 'supplier' | 'staff';
  display_name: string;
  password_hash: string | null;
  email_confirmed_at: Date | null;
  preferred_language: Lang;
  github_id: string | null;
  oidc_subject: string | null;
  closed_at: Date | null;
}

type Conn = Db | Knex.Transaction;

export function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
  return db('users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
}

export function findUserById(db: Conn, id: number): Promise<UserRow | undefined> {
  return db('users').where({ id }).first();
}

export function findUserByOidcSubject(db: Conn, subject: string): Promise<UserRow | undefined> {
  return db('users').where({ oidc_subject: subject }).first();
}

export function findUserByGithubId(db: Conn, githubId: string): Promise<UserRow | undefined> {
  return db('users').where({ github_id: githubId }).first();
}

export async function insertUser(
  db: Conn,
  user: {
    email: string;
    kind: UserRow['kind'];
    displayName: string;
    language: Lang;
    emailConfirmedAt: Date;
    githubId?: string;
    oidcSubject?: string;
  },
): Promise<number> {
  const [row] = await db('users')
    .insert({
      email: user.email,
      kind: user.kind,
      display_name: user.displayName,
      preferred_language: user.language,
      email_confirmed_at: user.emailConfirmedAt,
      github_id: user.githubId ?? null,
      oidc_subject: user.oidcSubject ?? null,
      created_at: user.emailConfirmedAt,
    })
    .returning('id');
  return Number(row.id);
}

export async function updateUser(
  db: Conn,
  id: number,
  changes: Partial<
    Pick<UserRow, 'github_id' | 'oidc_subject' | 'email_confirmed_at' | 'password_hash'>
  >,
): Promise<void> {
  await db('users').where({ id }).update(changes);
}

export function activeGrants(db: Conn, userId: number): Promise<Grant[]> {
  return db('role_grants')
    .where({ user_id: userId })
    .whereNull('revoked_at')
    .select('role', 'department_id as departmentId', 'delegated_limit_cents as limitCents');
}

export async function clearFailures(db: Conn, emailKey: string): Promise<void> {
  await db('sign_in_failures').where({ email_key: emailKey }).delete();
}

/**
 * Sets a password from an emailed link (reset or invitation): the click proves the address, and
 * every other unused link for the same purpose stops working.
 */
export async function setPasswordFromLink(
  trx: Knex.Transaction,
  userId: number,
  passwordHash: string,
  purpose: TokenPurpose,
  at: Date,
): Promise<void> {
  await trx('users')
    .where({ id: userId })
    .update({
      password_hash: passwordHash,
      email_confirmed_at: trx.raw('coalesce(email_confirmed_at, ?)', [at]),
    });
  await trx('account_tokens')
    .where({ user_id: userId, purpose })
    .whereNull('used_at')
    .update({ used_at: at });
}
