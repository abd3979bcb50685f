import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createMailTransport } from '../../src/platform/mail/transport.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { aPublishedOpportunity } from '../helpers/scenarios.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const w = {} as { database: TestDatabase; mailbox: TestMailbox; t: TestApp };
const domain = 'micro-acquisition.example.gc.ca';
const selector = 'mail2026';

beforeAll(async () => {
  w.database = await createTestDatabase();
  w.mailbox = await startTestMailbox();
  w.t = await createTestApp(w.database.db);
});

afterAll(async () => {
  await w.mailbox.close();
  await w.database.drop();
});

describe('a signed announcement', () => {
  it('carries both one-click headers under its DKIM signature, as RFC 8058 asks', async () => {
    const ml = mailingListWorld(w);
    await ml.confirmedSubscriber('signed@example.com', 'en');
    const { reference } = await aPublishedOpportunity(w.t, {});
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = loadConfig({
      DKIM_DOMAIN: domain,
      DKIM_SELECTOR: selector,
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    // The announcement, with the notices publishing sent the staff.
    expect(await ml.deliverWith(createMailTransport(w.mailbox.url, config))()).toBeGreaterThan(0);

    const [announcement] = ml
      .messagesTo('signed@example.com')
      .filter((m) => m.subject?.startsWith('New opportunity') && m.text?.includes(reference));
    const at = w.mailbox.messages.indexOf(announcement!);
    const raw = w.mailbox.raw[at]!;
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const result = await dkimVerify(raw, {
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[record]];
        throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
      },
    });
    expect(result.results[0]?.status.result).toBe('pass');
    const signature = ml.header(w.mailbox.messages[at]!, 'dkim-signature') ?? '';
    const signed = /\bh=([^;]+)/.exec(signature)?.[1] ?? '';
    const headers = signed.replaceAll(/\s/g, '').toLowerCase().split(':');
    expect(headers).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post']));
  });
});
