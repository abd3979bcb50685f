import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { PageCache } from '../../src/platform/page-cache.ts';

describe('the page cache at capacity (L7)', () => {
  it('makes room by dropping the entry used longest ago, and keeps the most recent ones', () => {
    const cache = new PageCache(60_000, fixedClock('2026-12-02T12:00:00Z'), 3);
    for (const key of ['/en/a', '/en/b', '/en/c']) cache.set(key, `<p>${key}</p>`);
    expect(cache.get('/en/a')?.body.toString()).toBe('<p>/en/a</p>');
    cache.set('/en/d', '<p>/en/d</p>');
    expect(cache.size).toBe(3);
    expect(cache.get('/en/b')).toBeUndefined();
    for (const key of ['/en/a', '/en/c', '/en/d']) expect(cache.get(key), key).toBeDefined();
    // A thousand one-off addresses leave the last three, never an empty cache.
    for (let i = 0; i < 1_000; i += 1) cache.set(`/en/x${i}`, 'x');
    expect(cache.size).toBe(3);
    expect(cache.get('/en/x999')).toBeDefined();
  });

  it('replaces an entry stored again under its key without dropping another', () => {
    const cache = new PageCache(60_000, fixedClock('2026-12-02T12:00:00Z'), 2);
    cache.set('/en/a', 'first');
    cache.set('/en/b', 'b');
    cache.set('/en/a', 'second');
    expect(cache.size).toBe(2);
    expect(cache.get('/en/a')?.body.toString()).toBe('second');
    expect(cache.get('/en/b')).toBeDefined();
  });
});
