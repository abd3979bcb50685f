import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createJobRunner } from '../../src/platform/jobs.ts';
import { mailDelivery } from '../../src/platform/mail/delivery.ts';
import { enqueueEmail } from '../../src/platform/mail/outbox.ts';
import { createMailTransport, dkimOptionsOf } from '../../src/platform/mail/transport.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

let database: TestDatabase;
let mailbox: TestMailbox;
let t: TestApp;

const domain = 'micro-acquisition.example.gc.ca';
const selector = 'mail2026';

function rsaKeys() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** The TXT record a department would publish at <selector>._domainkey.<domain>. */
function txtRecordOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
}

/** DNS for the verifier: only this selector's record exists. */
function resolverFor(record: string) {
  return async (name: string, type: string) => {
    if (type === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[record]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };
}

/** Sends the n-th email through the outbox and the worker with this configuration. */
async function sendWith(env: NodeJS.ProcessEnv, n: number): Promise<Buffer> {
  const config = loadConfig(env);
  const logger = pino({ level: 'silent' });
  const runner = createJobRunner({
    connectionString: database.url,
    clock: t.clock,
    logger,
    jobs: [
      mailDelivery({
        db: database.db,
        transport: createMailTransport(mailbox.url, config),
        renderer: t.deps.emailRenderer,
        clock: t.clock,
        logger,
        from: `Micro-acquisitions <no-reply@${domain}>`,
      }),
    ],
  });
  await enqueueEmail(
    database.db,
    {
      idempotencyKey: `dkim-${n}`,
      template: 'application-received',
      to: 'fournisseuse@example.com',
      language: 'fr',
      data: {
        reference: 'MA-2026-0042',
        title: { en: 'Fix the validator', fr: 'Corriger le validateur' },
        links: { en: '/en/opportunities/MA-2026-0042', fr: '/fr/occasions/MA-2026-0042' },
      },
    },
    t.clock.now(),
  );
  await runner.runDueJobs(t.clock.now());
  await mailbox.waitFor(n);
  return mailbox.raw[n - 1]!;
}

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = await startTestMailbox();
  t = await createTestApp(database.db);
});

afterAll(async () => {
  await mailbox.close();
  await database.drop();
});

describe('DKIM signing of outgoing mail', () => {
  it('signs what the outbox sends: the signature received at the SMTP server verifies against the published key', async () => {
    const { privateKey, publicKey } = rsaKeys();
    // As an environment variable holds it: one line, "\n" for the line breaks.
    const oneLine = privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .replaceAll('\n', '\\n');
    const message = await sendWith(
      { DKIM_DOMAIN: domain, DKIM_SELECTOR: selector, DKIM_PRIVATE_KEY: oneLine },
      1,
    );
    expect(message.toString('utf8')).toMatch(/^DKIM-Signature: /m);

    const result = await dkimVerify(message, { resolver: resolverFor(txtRecordOf(publicKey)) });
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      signingDomain: domain,
      selector,
      status: { result: 'pass' },
    });

    // The check can fail: a changed body, or another key in the DNS, does not pass.
    const tampered = Buffer.from(message.toString('utf8').replace('MA-2026-0042', 'MA-2026-0043'));
    const changed = await dkimVerify(tampered, { resolver: resolverFor(txtRecordOf(publicKey)) });
    expect(changed.results[0]?.status.result).not.toBe('pass');
    const otherKey = await dkimVerify(message, {
      resolver: resolverFor(txtRecordOf(rsaKeys().publicKey)),
    });
    expect(otherKey.results[0]?.status.result).not.toBe('pass');
  });

  it('reads the key from a file, and stops at start-up on a key that is not one', () => {
    const { privateKey } = rsaKeys();
    const file = join(mkdtempSync(join(tmpdir(), 'dkim-')), 'dkim.pem');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const fromFile = dkimOptionsOf(
      loadConfig({ DKIM_DOMAIN: domain, DKIM_SELECTOR: selector, DKIM_PRIVATE_KEY_FILE: file }),
    );
    expect(fromFile).toMatchObject({ domainName: domain, keySelector: selector });
    expect(fromFile?.privateKey).toContain('BEGIN PRIVATE KEY');

    expect(() =>
      dkimOptionsOf(
        loadConfig({ DKIM_DOMAIN: domain, DKIM_SELECTOR: selector, DKIM_PRIVATE_KEY: 'secret' }),
      ),
    ).toThrow(/DKIM private key/);
    expect(dkimOptionsOf(loadConfig({}))).toBeUndefined();
  });

  it('refuses a configuration with only part of DKIM, or two keys', () => {
    expect(() => loadConfig({ DKIM_DOMAIN: domain })).toThrow(/DKIM_DOMAIN/);
    expect(() =>
      loadConfig({
        DKIM_DOMAIN: domain,
        DKIM_SELECTOR: selector,
        DKIM_PRIVATE_KEY: 'a',
        DKIM_PRIVATE_KEY_FILE: '/b',
      }),
    ).toThrow(/one of DKIM_PRIVATE_KEY/);
  });

  it('sends unsigned when DKIM is not configured', async () => {
    const message = await sendWith({ DKIM_DOMAIN: '', DKIM_SELECTOR: '', DKIM_PRIVATE_KEY: '' }, 2);
    expect(message.toString('utf8')).toContain('MA-2026-0042');
    expect(message.toString('utf8')).not.toMatch(/^DKIM-Signature: /m);
  });
});
