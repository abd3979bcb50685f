import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { regenerateSession } from '../platform/sessions.ts';
import { activeGrants, findUserById } from './repo.ts';

/**
 * Signs a person in, whatever proved who they are (password, department account, GitHub): a new
 * session id, so a session fixed before sign-in is worthless, and the start of the 12-hour limit.
 */
export async function startSignedInSession(
  deps: AppDeps,
  req: Request,
  userId: number,
): Promise<void> {
  await regenerateSession(req);
  req.session.userId = userId;
  req.session.signedInAt = deps.clock.now().getTime();
}

/** The person a session names as the pages see them, or undefined once their account is closed. */
export async function currentUserOf(db: Db, userId: number): Promise<CurrentUser | undefined> {
  const user = await findUserById(db, userId);
  if (!user || user.closed_at) return undefined;
  return {
    id: user.id,
    email: user.email,
    kind: user.kind,
    displayName: user.display_name || user.email,
    language: user.preferred_language,
    grants: await activeGrants(db, user.id),
  };
}
