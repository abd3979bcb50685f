import type { Request } from 'express';
import type { AppDeps } from '../platform/deps.ts';
import { regenerateSession } from '../platform/sessions.ts';

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
