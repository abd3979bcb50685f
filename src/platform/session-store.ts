import session from 'express-session';
import type { Db } from '../db/knex.ts';

type Callback = (error?: unknown) => void;

/**
 * Sessions in PostgreSQL, so they hold across app processes and restarts. Expiry follows the
 * cookie's, which express-session computes from the system time, so the store uses it too
 * (not the app's injectable clock). The signed-in person's id is also a column, user_id, so
 * all of one person's sessions are found by index (where({ user_id })).
 */
export class PostgresSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
  ) {
    super();
  }

  private expiresAt(data: session.SessionData): Date {
    return data.cookie?.expires
      ? new Date(data.cookie.expires)
      : new Date(Date.now() + this.idleMs);
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void) {
    this.db('sessions')
      .where({ sid })
      .andWhere('expires_at', '>', new Date())
      .first('data')
      .then((row?: { data: session.SessionData }) => callback(null, row?.data ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback: Callback = () => {}) {
    this.db('sessions')
      .insert({
        sid,
        data: JSON.stringify(data),
        expires_at: this.expiresAt(data),
        user_id: data.userId ?? null,
      })
      .onConflict('sid')
      .merge()
      .then(() => callback(), callback);
  }

  override touch(sid: string, data: session.SessionData, callback: Callback = () => {}) {
    this.db('sessions')
      .where({ sid })
      .update({ expires_at: this.expiresAt(data) })
      .then(() => callback(), callback);
  }

  override destroy(sid: string, callback: Callback = () => {}) {
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(() => callback(), callback);
  }
}

/** Housekeeping: sessions past their expiry, which get() already ignores. Returns rows deleted. */
export function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  return db('sessions').where('expires_at', '<=', now).delete();
}
