import { describe, expect, it } from 'vitest';
import {
  fixedClock,
  oneReadingPerRequest,
  readingOncePerRequest,
} from '../../src/platform/clock.ts';

describe('one clock reading per request', () => {
  it('answers the first reading for the whole request, even when time moves on', async () => {
    const base = fixedClock('2026-12-04T18:59:59.999Z');
    const clock = oneReadingPerRequest(base);
    const readings = await new Promise<Date[]>((resolve) => {
      readingOncePerRequest(null, null, async () => {
        const first = clock.now();
        base.set('2026-12-04T19:00:00.000Z'); // the deadline passes mid-request
        await new Promise((r) => setTimeout(r, 1));
        resolve([first, clock.now()]);
      });
    });
    expect(readings.map((d) => d.toISOString())).toEqual([
      '2026-12-04T18:59:59.999Z',
      '2026-12-04T18:59:59.999Z',
    ]);
  });

  it('reads the clock afresh outside a request (jobs) and in the next request', () => {
    const base = fixedClock('2026-12-04T18:00:00Z');
    const clock = oneReadingPerRequest(base);
    let inRequest: Date | undefined;
    readingOncePerRequest(null, null, () => {
      inRequest = clock.now();
    });
    base.set('2026-12-04T19:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-12-04T19:00:00.000Z');
    expect(inRequest?.toISOString()).toBe('2026-12-04T18:00:00.000Z');
  });
});
