import pg from 'pg';
import type { Logger } from './logger.ts';

/**
 * Listens for the database's `public_content_changed` notifications (sent by triggers on the
 * tables public pages read), so every app process empties its page cache at once.
 */
export async function listenForContentChanges(
  connectionString: string,
  onChange: () => void,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString });
    next.on('notification', onChange);
    next.on('error', (error) => {
      logger.warn({ err: error }, 'content change listener lost its connection');
      onChange();
      if (!closed) setTimeout(() => void connect().catch(() => undefined), 1_000);
    });
    await next.connect();
    await next.query('LISTEN public_content_changed');
    client = next;
  }

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end();
    },
  };
}
