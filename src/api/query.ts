import { decodeCursor } from './cursor.ts';
import type { After } from './repo.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** A length limit before reading a number: at most three digits. */
const LIMIT = /^\d{1,3}$/;

export type ListQuery = { ok: true; limit: number; after?: After } | { ok: false; code: string };

/**
 * The list's query string. With the simple query parser a repeated parameter arrives as an
 * array: it is refused like any other malformed value.
 */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    if (typeof query.limit !== 'string' || !LIMIT.test(query.limit)) {
      return { ok: false, code: 'bad_limit' };
    }
    limit = Number(query.limit);
    if (limit < 1 || limit > MAX_LIMIT) return { ok: false, code: 'bad_limit' };
  }
  if (query.cursor === undefined) return { ok: true, limit };
  const after = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : undefined;
  return after ? { ok: true, limit, after } : { ok: false, code: 'bad_cursor' };
}
