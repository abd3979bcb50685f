import type { Express } from 'express';
import { expect } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.ts';
import type { Role } from '../../src/platform/roles.ts';
import type { Db } from '../../src/db/knex.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { url } from '../../src/platform/routes.ts';
import { agent } from './session.ts';

/** A role held in a department (`null` for the platform-wide roles), with its delegated limit. */
export interface Grant {
  role: Role;
  department: number | null;
  limitCents?: number;
}

export interface Person {
  email: string;
  password: string;
  /** When the email address was confirmed, from the test's clock; `null` for not yet. */
  confirmedAt: Date | null;
  kind?: 'staff' | 'supplier';
  /** The display name; the part of the email before the @ unless given. */
  name?: string;
  language?: Lang;
  grants?: Grant[];
}

/** argon2 is slow on purpose: each distinct password is hashed once per test process. */
const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/** Inserts a user who can sign in with a password, and their role grants; returns the id. */
export async function insertPerson(db: Db, p: Person): Promise<number> {
  const [user] = await db('users')
    .insert({
      email: p.email,
      kind: p.kind ?? 'staff',
      display_name: p.name ?? p.email.split('@')[0],
      preferred_language: p.language ?? 'en',
      password_hash: await hashOnce(p.password),
      email_confirmed_at: p.confirmedAt,
    })
    .returning('id');
  for (const g of p.grants ?? []) {
    await db('role_grants').insert({
      user_id: user.id,
      role: g.role,
      department_id: g.department,
      delegated_limit_cents: g.limitCents ?? null,
    });
  }
  return user.id as number;
}

/** Signs in through the sign-in form, in the given language, and checks it succeeds. */
export async function signIn(app: Express, email: string, password: string, lang: Lang = 'en') {
  const a = agent(app);
  const res = await a.post(url('signIn', {}, lang), { email, password });
  expect(res.status, `sign in ${email}`).toBe(303);
  return a;
}

export type SignedIn = Awaited<ReturnType<typeof signIn>>;
