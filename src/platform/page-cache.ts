import { createHash } from 'node:crypto';
import type { Clock } from './clock.ts';

export interface CachedPage {
  body: Buffer;
  etag: string;
  expiresAt: number;
}

/**
 * Rendered public pages, kept as bytes with their ETag so a hit costs no query and no render.
 * Emptied whenever public content changes (a database trigger notifies every process), and
 * each entry expires after a short time so "closes in 3 days" stays true as the clock moves.
 * When full, the entry used longest ago makes room (a Map keeps its keys in insertion order, and
 * a hit moves its key to the end).
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 2_000,
  ) {}

  get(key: string): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, html: string): CachedPage {
    const body = Buffer.from(html, 'utf8');
    const entry = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      expiresAt: this.clock.now().getTime() + this.ttlMs,
    };
    if (this.ttlMs > 0) {
      this.entries.delete(key);
      if (this.entries.size >= this.maxEntries) {
        const leastRecent = this.entries.keys().next();
        if (!leastRecent.done) this.entries.delete(leastRecent.value);
      }
      this.entries.set(key, entry);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
