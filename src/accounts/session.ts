import type { Request } from 'express';
import type { Knex } from 'knex';
import type { AppDeps } from '../platform/deps.ts';
import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../platform/auth.ts';
import { regenerateSession } from '../platform/sessions.ts';
import { activeGrants, findUserById } from './repo.ts';

/**
 * Stores the session now. Call it before redirecting after any change to the session:
 * express-session otherwise stores it while the redirect's headers are already on their way, and
 * a browser that follows them at once arrives with a session not yet stored (about 1 sign-in in
 * 14 landed back on the sign-in page).
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
}

/**
 * Signs a person in, whatever proved who they are (password, department account, GitHub): a new
 * session id, so a session fixed before sign-in is worthless, and the start of the 12-hour limit.
 * The session is stored when this returns, so the caller may redirect at once.
 */
export async function startSignedInSession(
  deps: AppDeps,
  req: Request,
  userId: number,
): Promise<void> {
  await regenerateSession(req);
  req.session.userId = userId;
  req.session.signedInAt = deps.clock.now().getTime();
  await saveSession(req);
}

/** Signs a person out everywhere: every session that names them ends. */
export async function endSessionsOf(db: Db | Knex.Transaction, userId: number): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
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
