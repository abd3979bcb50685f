import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainingServer, type DrainingServer } from '../../src/platform/draining.ts';

/**
 * The server's stop, over raw keep-alive connections such as a proxy holds: what was sent before
 * the stop is answered, whatever it was doing.
 */

let current: DrainingServer | undefined;
afterEach(() => {
  current?.server.closeAllConnections();
  current = undefined;
});

async function listening(delayMs = 0): Promise<{ drain: () => Promise<void>; port: number }> {
  current = drainingServer({}, (req, res) => {
    setTimeout(() => res.end(`answered ${req.url}`), req.url === '/slow' ? delayMs : 0);
  });
  const { server, drain } = current;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { drain, port: (server.address() as AddressInfo).port };
}

/** A keep-alive connection that collects what comes back, and whether it ended or was reset. */
async function connection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let ending: 'open' | 'ended' | 'reset' = 'open';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('end', () => (ending = 'ended'));
  socket.on('error', () => (ending = 'reset'));
  return {
    send: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`),
    received: () => received,
    ending: () => ending,
    async waitFor(text: string) {
      for (let i = 0; i < 200 && !received.includes(text) && ending === 'open'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received;
    },
  };
}

describe('stopping the HTTP server', () => {
  it('answers a request sent on an idle keep-alive connection as the stop begins', async () => {
    const { drain, port } = await listening();
    const proxy = await connection(port);
    proxy.send('/first');
    await proxy.waitFor('answered /first');
    // Sent, but not read yet by the server when the stop begins (Node's own close() resets it).
    proxy.send('/second');
    const drained = drain();
    expect(await proxy.waitFor('answered /second')).toContain('answered /second');
    await drained;
    const second = proxy.received().slice(proxy.received().indexOf('answered /first'));
    expect(second).toMatch(/connection: close/i);
    expect(proxy.ending()).toBe('ended');
  });

  it('lets a request in progress finish, refuses new connections, and says 503 on /readyz', async () => {
    const { drain, port } = await listening(300);
    const busy = await connection(port);
    const idle = await connection(port);
    busy.send('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drained = drain();
    idle.send('/readyz');
    expect(await idle.waitFor('stopping')).toMatch(/^HTTP\/1\.1 503/);
    await expect(connection(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(await busy.waitFor('answered /slow')).toMatch(
      /^HTTP\/1\.1 200[\s\S]*connection: close/i,
    );
    await drained;
    expect([busy.ending(), idle.ending()]).toEqual(['ended', 'ended']);
  });
});
