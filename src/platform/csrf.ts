import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

// The synchronizer token pattern: one token per session, sent back in every form as _csrf.
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf,
});

/** Refuses every POST without the session's token (403 page, nothing changed). */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

export function csrfToken(req: Request): string {
  return generateToken(req);
}
