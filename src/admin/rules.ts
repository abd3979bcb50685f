import type { CurrentUser } from '../platform/auth.ts';
import type { Role } from '../platform/roles.ts';
import { outsidePlatformScope } from './grant-proposal-machine.ts';

/** Why an action was refused: the form field it concerns, the message's locale key, its values. */
export interface Refusal {
  field: string;
  key: string;
  values?: Record<string, string>;
}
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const refuse = (field: string, key: string, values?: Record<string, string>) => ({
  ok: false as const,
  refusal: { field, key, ...(values ? { values } : {}) },
});

export const isPlatformAdmin = (user: CurrentUser) =>
  user.grants.some((g) => g.role === 'platform_admin');

/**
 * The roles nobody grants from a department's page, whoever the grantee: platform_admin, which
 * has no department, and, for a platform administrator who does not administer the department,
 * anything but its administrators (review L8).
 */
export function roleRefusal(
  actor: CurrentUser,
  departmentId: number,
  role: Role,
  field: string,
): Outcome<never> | undefined {
  if (role === 'platform_admin') return refuse(field, 'admin.errors.platformAdmin');
  if (outsidePlatformScope(actor, departmentId, role)) {
    return refuse(field, 'admin.errors.platformScope');
  }
  return undefined;
}
