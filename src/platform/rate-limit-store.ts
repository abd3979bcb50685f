import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  rateLimit as expressRateLimit,
  type ClientRateLimitInfo,
  type Options,
  type RateLimitExceededEventHandler,
  type RateLimitRequestHandler,
  type Store,
} from 'express-rate-limit';
import type { Db } from '../db/knex.ts';
import type { Clock } from './clock.ts';

interface RateLimitRow {
  key: string;
  hits: number;
  reset_at: Date;
}

/**
 * Fixed-window hit counts in PostgreSQL, so every app process sees the same count
 * (an in-memory store would give each process its own allowance).
 */
export class PostgresRateLimitStore implements Store {
  /** Counts live in the shared database, not in this process. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.db<RateLimitRow>('rate_limits')
      .select('hits', 'reset_at')
      .where({ key: this.storageKey(key) })
      .where('reset_at', '>', this.clock.now())
      .first();
    return row && { totalHits: row.hits, resetTime: row.reset_at };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.clock.now();
    const nextReset = new Date(now.getTime() + this.windowMs);
    // One statement, so concurrent requests from any process can't both read the same count;
    // an expired window restarts here rather than waiting for housekeeping.
    const result = await this.db.raw<{ rows: Omit<RateLimitRow, 'key'>[] }>(
      `INSERT INTO rate_limits (key, hits, reset_at) VALUES (:key, 1, :nextReset)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limits.reset_at <= :now THEN 1 ELSE rate_limits.hits + 1 END,
         reset_at = CASE WHEN rate_limits.reset_at <= :now THEN :nextReset ELSE rate_limits.reset_at END
       RETURNING hits, reset_at`,
      { key: this.storageKey(key), now, nextReset },
    );
    const row = result.rows[0];
    if (!row) throw new Error(`rate limit upsert returned no row for ${key}`);
    return { totalHits: row.hits, resetTime: row.reset_at };
  }

  async decrement(key: string): Promise<void> {
    // Undoes a counted request (e.g. skipSuccessfulRequests); a count below zero would grant extra hits.
    await this.db('rate_limits')
      .where({ key: this.storageKey(key) })
      .update({ hits: this.db.raw('GREATEST(hits - 1, 0)') });
  }

  async resetKey(key: string): Promise<void> {
    await this.db('rate_limits')
      .where({ key: this.storageKey(key) })
      .delete();
  }

  /** The prefix keeps limiters that share the table (and key by the same IP) apart. */
  private storageKey(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

/** Housekeeping: expired rows are dead weight (increment restarts them anyway). Returns rows deleted. */
export async function deleteExpiredRateLimits(db: Db, clock: Clock): Promise<number> {
  return db('rate_limits').where('reset_at', '<=', clock.now()).delete();
}

export interface RateLimitOptions {
  /** Unique per limiter: it prefixes the stored keys. */
  name: string;
  windowMs: number;
  limit: number;
  /** Defaults to the client IP (IPv6 grouped by subnet); when keying by IP, use `ipKeyGenerator`. */
  keyGenerator?: (req: Request, res: Response) => string;
  /** Requests this limiter neither counts nor refuses. */
  skip?: (req: Request) => boolean;
  /** The app renders its own bilingual 429 page. */
  handler: RateLimitExceededEventHandler;
}

export function rateLimit(
  deps: { db: Db; clock: Clock },
  options: RateLimitOptions,
): RateLimitRequestHandler {
  return expressRateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    ...(options.keyGenerator && { keyGenerator: options.keyGenerator }),
    ...(options.skip && { skip: options.skip }),
    handler: options.handler,
    store: new PostgresRateLimitStore(deps.db, deps.clock, options.name),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A client may send X-Forwarded-For itself: with no proxy trusted (TRUST_PROXY), it is
    // ignored on purpose, not a mistake to print on the console.
    validate: { xForwardedForHeader: false },
  });
}

/**
 * The key of what a form names (an email address), whatever the case or surrounding spaces:
 * hashed, so the table of counts holds no address. Undefined when the form names nothing.
 */
export function targetKey(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const target = value.trim().toLowerCase();
  if (target === '') return undefined;
  return createHash('sha256').update(target).digest('base64url');
}
