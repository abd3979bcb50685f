import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';

/** MA-2026-0007: the year the request was started and its number in that year. */
export const REFERENCE_FORMAT = /^MA-\d{4}-\d{4}$/;

export const isReference = (value: unknown): value is string =>
  typeof value === 'string' && REFERENCE_FORMAT.test(value);

/**
 * The next reference of a year, taken in the caller's transaction. The counter row serializes
 * concurrent requests; GREATEST() also steps over references written without it (the seed).
 */
export async function nextReference(trx: Db | Knex.Transaction, year: number): Promise<string> {
  const prefix = `MA-${year}-`;
  const { rows } = await trx.raw<{ rows: { last: number }[] }>(
    `INSERT INTO reference_counters (year, last)
     VALUES (?, (SELECT coalesce(max(substring(reference from 9 for 4)::int), 0) + 1
                 FROM opportunities WHERE reference LIKE ?))
     ON CONFLICT (year) DO UPDATE
       SET last = GREATEST(reference_counters.last, EXCLUDED.last - 1) + 1
     RETURNING last`,
    [year, `${prefix}%`],
  );
  const last = rows[0]?.last ?? 1;
  return `${prefix}${String(last).padStart(4, '0')}`;
}
