import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import type { Role } from '../platform/roles.ts';
import { activeGrants } from './repo.ts';

/**
 * Staff sign-in through the department's identity provider is on when the three settings are.
 */
export const staffSignInConfigured = (config: Config): boolean =>
  Boolean(config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);

/** Roles that spend, certify or pay public money, or hand out those roles. */
const ROLES_FOR_THE_DEPARTMENT_S_SIGN_IN: readonly Role[] = [
  'section32_manager',
  'section34_manager',
  'finance_officer',
  'department_admin',
  'platform_admin',
];

/**
 * Whether this person must sign in through the department's identity provider, with its
 * multi-factor checks and its de-provisioning, rather than with a password (M5): true when the
 * provider is configured and they hold one of the roles above. Password sign-in and password
 * reset are refused for them.
 */
export async function mustUseDepartmentSignIn(
  config: Config,
  db: Db | Knex.Transaction,
  userId: number,
): Promise<boolean> {
  if (!staffSignInConfigured(config)) return false;
  const grants = await activeGrants(db, userId);
  return grants.some((g) => ROLES_FOR_THE_DEPARTMENT_S_SIGN_IN.includes(g.role));
}
