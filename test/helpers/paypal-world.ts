import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { paypalJobs, payoutDepsOf } from '../../src/payments/paypal/jobs.ts';
import type { PayoutDeps } from '../../src/payments/paypal/payouts.ts';
import { PAYPAL_WEBHOOK_PATH } from '../../src/payments/paypal/webhooks.ts';
import type { CurrentUser } from '../../src/platform/auth.ts';
import { createJobRunner, type JobRunner } from '../../src/platform/jobs.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import { createTestApp, type TestApp } from './app.ts';
import { aCertifiedInvoice, type ContractFile } from './contract-world.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { PAYPAL_TEST, startFakePaypal, type FakePaypal } from './fake-paypal.ts';
import { insertPerson, signIn } from './people.ts';
import { currentUserOf } from './scenario-people.ts';

export const FINANCE_PASSWORD = 'finance officer passphrase';

export interface PayableInvoice extends ContractFile {
  invoiceId: number;
  finance: CurrentUser;
  paypalEmail: string;
}

/**
 * The app with PayPal on, against the fake PayPal, one database per file; the PayPal jobs run on
 * the test's clock (`jobs()`, or `later(ms)` to move the clock first). The app also listens on
 * loopback so the fake can post its webhooks to it.
 */
export function paypalWorld(options: { verification?: 'self' | 'postback' } = {}) {
  const w = {
    database: undefined as unknown as TestDatabase,
    t: undefined as unknown as TestApp,
    fake: undefined as unknown as FakePaypal,
    runner: undefined as unknown as JobRunner,
    server: undefined as unknown as Server,
    webhookUrl: '',
    financeCount: 0,

    payoutDeps(): PayoutDeps {
      return payoutDepsOf({ ...w.t.deps, logger: w.t.deps.logger });
    },
    jobs: () => w.runner.runDueJobs(w.t.clock.now()),
    async later(ms: number) {
      w.t.clock.set(new Date(w.t.clock.now().getTime() + ms));
      return w.jobs();
    },

    /** A certified invoice of a department that pays by PayPal, its supplier's PayPal address, and a finance officer. */
    async aPayableInvoice(options: { language?: Lang } = {}): Promise<PayableInvoice> {
      const file = await aCertifiedInvoice(w.t, { language: options.language });
      const { db } = w.database;
      const paypalEmail = `paypal.${file.supplier.id}@example.com`;
      await db('supplier_profiles')
        .where({ user_id: file.supplier.id })
        .update({ paypal_email: paypalEmail });
      await db('departments')
        .where({ id: file.s.departmentId })
        .update({
          payment_methods: db.raw(
            `array_append(array_remove(payment_methods, 'paypal_payout'), 'paypal_payout')`,
          ),
        });
      w.financeCount += 1;
      const id = await insertPerson(db, {
        email: `finance.${w.financeCount}@paypal-world.example.ca`,
        password: FINANCE_PASSWORD,
        name: `Finance officer ${w.financeCount}`,
        confirmedAt: w.t.clock.now(),
        grants: [{ role: 'finance_officer', department: file.s.departmentId }],
      });
      return {
        ...file,
        invoiceId: file.invoiceId!,
        finance: await currentUserOf(db, id),
        paypalEmail,
      };
    },
    signInFinance: (invoice: PayableInvoice, lang: Lang = 'en') =>
      signIn(w.t.app, invoice.finance.email, FINANCE_PASSWORD, lang),

    async paymentsOf(invoiceId: number) {
      return w.database
        .db('payments as m')
        .leftJoin('paypal_payouts as p', 'p.payment_id', 'm.id')
        .where('m.invoice_id', invoiceId)
        .orderBy('m.id')
        .select('m.id', 'm.status', 'm.method', 'p.*');
    },
  };

  beforeAll(async () => {
    w.fake = await startFakePaypal();
    w.database = await createTestDatabase();
    w.t = await createTestApp(w.database.db, {
      env: {
        PAYPAL_API_URL: w.fake.url,
        PAYPAL_CLIENT_ID: PAYPAL_TEST.clientId,
        PAYPAL_CLIENT_SECRET: PAYPAL_TEST.secret,
        PAYPAL_WEBHOOK_ID: PAYPAL_TEST.webhookId,
        PAYPAL_CERT_HOSTS: new URL(w.fake.url).host,
        PAYPAL_TIMEOUT_MS: '500',
        PAYPAL_WEBHOOK_VERIFICATION: options.verification ?? 'self',
      },
    });
    const logger = pino({ level: 'silent' });
    w.runner = createJobRunner({
      connectionString: w.database.url,
      clock: w.t.clock,
      logger,
      jobs: [paypalJobs({ db: w.database.db, clock: w.t.clock, logger, config: w.t.deps.config })],
    });
    w.server = createServer(w.t.app);
    await new Promise<void>((resolve) => w.server.listen(0, '127.0.0.1', resolve));
    w.webhookUrl = `http://127.0.0.1:${(w.server.address() as AddressInfo).port}${PAYPAL_WEBHOOK_PATH}`;
  });

  afterAll(async () => {
    w.server.closeAllConnections();
    await new Promise((resolve) => w.server.close(resolve));
    await w.fake.close();
    await w.database.drop();
  });

  return w;
}
