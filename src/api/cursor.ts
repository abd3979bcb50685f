import type { After } from './repo.ts';

/**
 * The list's cursor: the last item's (publication time to the microsecond, id), opaque to
 * clients (base64url). Whatever comes in is checked before anything reads it: its length, its
 * alphabet, its decoded shape, and a real instant; anything else is not a cursor.
 */
const CURSOR_ALPHABET = /^[\w-]{1,80}$/;
const DECODED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9]\d{0,14})$/;

export function encodeCursor(after: After): string {
  return Buffer.from(`${after.publishedAtExact}|${after.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string): After | undefined {
  if (!CURSOR_ALPHABET.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  const match = DECODED.exec(decoded);
  if (!match) return undefined;
  const [, exact, id] = match as unknown as [string, string, string];
  // A real instant: 2026-02-30 and 25:00 do not come back the same from Date.
  const millis = `${exact.slice(0, 23)}Z`;
  const instant = new Date(millis);
  if (Number.isNaN(instant.getTime()) || instant.toISOString() !== millis) return undefined;
  return { publishedAtExact: exact, id: Number(id) };
}
