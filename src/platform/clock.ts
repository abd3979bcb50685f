import { AsyncLocalStorage } from 'node:async_hooks';
/** The one source of "now", injected so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next);
    },
  };
}

const requestReading = new AsyncLocalStorage<{ at?: Date }>();

/**
 * One clock reading per request: within a request (see `readingOncePerRequest`), every `now()`
 * answers the instant of the first reading, so a deadline checked by a guard and the event that
 * records the step agree to the millisecond. Outside a request (jobs, start-up) it reads `base`.
 */
export function oneReadingPerRequest(base: Clock): Clock {
  return {
    now() {
      const reading = requestReading.getStore();
      if (!reading) return base.now();
      reading.at ??= base.now();
      return new Date(reading.at);
    },
  };
}

/** Middleware: opens the request's reading, taken at the first `now()`. */
export function readingOncePerRequest(_req: unknown, _res: unknown, next: () => void): void {
  requestReading.run({}, next);
}
