import type { Config } from '../../config.ts';
import type { Db } from '../../db/knex.ts';
import type { Clock } from '../../platform/clock.ts';
import type { JobDefinitions } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import { paypalClientOf } from './client.ts';
import { CHECK_PAYOUT, checkPayout, SEND_PAYOUT, sendPayout, type PayoutDeps } from './payouts.ts';
import { sweepPayouts } from './payout-recovery.ts';

const SWEEP_PAYOUTS = 'paypal-sweep-payouts';

const paymentIdOf = (payload: unknown): number => {
  const id = (payload as { paymentId?: unknown } | null)?.paymentId;
  if (typeof id !== 'number') throw new Error(`not a payment: ${JSON.stringify(payload)}`);
  return id;
};

/**
 * The PayPal calls, outside any person's request: sending a payout (again, with its backoff, until
 * PayPal answers) and checking its state (after the create, and whenever a webhook comes).
 */
export function paypalJobs(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Config;
}): JobDefinitions {
  const payoutDeps = (): PayoutDeps => ({ ...deps, paypal: paypalClientOf(deps.config) });
  return {
    tasks: {
      [SEND_PAYOUT]: (payload) => sendPayout(payoutDeps(), paymentIdOf(payload)),
      [CHECK_PAYOUT]: (payload) => checkPayout(payoutDeps(), paymentIdOf(payload)),
      [SWEEP_PAYOUTS]: async () => {
        const found = await sweepPayouts(deps);
        if (found > 0) deps.logger.warn({ found }, 'PayPal payouts without a job: sent again');
      },
    },
    schedule: { [SWEEP_PAYOUTS]: '*/10 * * * *' },
  };
}

export const payoutDepsOf = (deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: Config;
}): PayoutDeps => ({ ...deps, paypal: paypalClientOf(deps.config) });
