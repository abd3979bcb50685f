import type { Logger } from './logger.ts';

export interface PeriodicTask {
  /** Runs the work once now; returns how many items it handled. */
  runOnce(): Promise<number>;
  /** Runs it again `intervalMs` after each run ends, until stop(). */
  start(intervalMs?: number): void;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/** An in-process background task (mail worker, closing job): one run at a time, errors logged. */
export function periodicTask(
  name: string,
  run: () => Promise<number>,
  logger: Logger,
  defaultIntervalMs: number,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  return {
    runOnce: run,
    start(intervalMs = defaultIntervalMs) {
      const tick = () => {
        running = run()
          .catch((error: unknown) => {
            logger.error({ err: error }, `${name} failed`);
            return 0;
          })
          .finally(() => {
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
