import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/knex.ts';
import type { AppDeps } from './deps.ts';
import type { Grant, Role } from './roles.ts';
import type { Lang } from './i18n.ts';

export interface CurrentUser {
  id: number;
  email: string;
  kind: 'supplier' | 'staff';
  displayName: string;
  language: Lang;
  grants: Grant[];
}

/**
 * Finds the person a session names, with their active roles; undefined when there is no such
 * person or their account is closed. Accounts are a feature, so the app hands this in.
 */
export type LoadUser = (db: Db, userId: number) => Promise<CurrentUser | undefined>;

/** Loads the signed-in person and their active roles once per request (none for visitors). */
export function loadCurrentUser(deps: AppDeps, loadUser: LoadUser): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    const user = await loadUser(deps.db, userId);
    if (!user) {
      delete req.session.userId;
      return next();
    }
    res.locals.currentUser = user;
    next();
  };
}

export function currentUser(res: Response): CurrentUser | undefined {
  return res.locals.currentUser as CurrentUser | undefined;
}

/**
 * Does this person hold one of `roles` (in `departmentId`, when given)? Only a real grant counts
 * (review L8): a platform administrator passes a check only where `platform_admin` is asked for
 * by name, which the platform's own pages do (the departments, their settings and staff);
 * screening, FAA authority, publishing and a client's needs are never theirs by default.
 */
export function hasRole(
  user: CurrentUser | undefined,
  roles: readonly Role[],
  departmentId?: number,
) {
  return (
    user?.grants.some(
      (g) =>
        roles.includes(g.role) &&
        // The one role held without a department holds in all of them.
        (g.role === 'platform_admin' ||
          departmentId === undefined ||
          g.departmentId === departmentId),
    ) ?? false
  );
}

/** The departments whose records this person may see: repositories filter by these. */
export function departmentsOf(user: CurrentUser | undefined): number[] {
  return [
    ...new Set(
      (user?.grants ?? []).flatMap((g) => (g.departmentId === null ? [] : [g.departmentId])),
    ),
  ];
}

/** The staff links in the header, from the roles held in any department. */
export function staffMenu(user: CurrentUser | undefined) {
  return {
    requests: hasRole(user, ['client']),
    // Needs attention: everyone's landing page, a supplier's own work included.
    workQueues: user !== undefined,
    admin: hasRole(user, ['department_admin', 'platform_admin']),
    certification: hasRole(user, ['section34_manager']),
    // The staff metrics and their exports: anyone who holds a role.
    metrics: (user?.grants.length ?? 0) > 0,
  };
}
