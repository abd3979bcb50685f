import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unconfirmedSubscriberSweep } from '../../src/subscriptions/housekeeping.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { mailingListWorld } from '../helpers/mailing-list.ts';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp.ts';

const w = {} as { database: TestDatabase; mailbox: TestMailbox; t: TestApp };
let ml: ReturnType<typeof mailingListWorld>;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  w.database = await createTestDatabase();
  w.mailbox = await startTestMailbox();
  w.t = await createTestApp(w.database.db);
  ml = mailingListWorld(w);
});

afterAll(async () => {
  await w.mailbox.close();
  await w.database.drop();
});

describe('mailing-list housekeeping', () => {
  it('forgets an address never confirmed once its links expire, and keeps the list and its proof', async () => {
    const sweep = unconfirmedSubscriberSweep(w.database.db);
    await ml.confirmedSubscriber('kept@example.com', 'en');
    await ml.subscribe('typed-by-someone@example.com', 'en');
    await ml.deliver();
    const at = (days: number) => new Date(w.t.clock.now().getTime() + days * DAY);

    expect(await sweep.run(at(6))).toBe(0);
    expect(await ml.subscriberRow('typed-by-someone@example.com')).toBeDefined();
    expect(await sweep.run(at(7))).toBe(1);
    expect(await ml.subscriberRow('typed-by-someone@example.com')).toBeUndefined();

    const kept = await ml.subscriberRow('kept@example.com');
    expect(kept.confirmed_at).not.toBeNull();
    const tokens = await w.database.db('subscription_tokens').select('purpose', 'subscriber_id');
    // The used confirmation link went; the consent it proved stays.
    expect(tokens.filter((row) => row.purpose === 'confirm')).toEqual([]);
    expect(
      await w.database.db('subscription_consents').where({ subscriber_id: kept.id }),
    ).toHaveLength(1);
  });
});
