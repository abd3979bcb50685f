import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';

/**
 * M8: the email preview shows every queued email with its reset, confirmation and invitation
 * links. Outside production it answers the developer at this computer (a loopback connection)
 * and a signed-in platform administrator; anyone else reaching the server, over the network,
 * gets a 404 — whatever X-Forwarded-For says.
 */

// An address of this machine that is not loopback: a connection to it arrives from it.
const networkAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

const PASSWORD = 'preview access passphrase';
let database: TestDatabase;
let t: TestApp;
let server: http.Server;
let overNetwork: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const esdc = await insertDepartment(database.db);
  const confirmedAt = t.clock.now();
  await insertPerson(database.db, {
    email: 'platform@example.ca',
    password: PASSWORD,
    confirmedAt,
    grants: [{ role: 'platform_admin', department: null }],
  });
  await insertPerson(database.db, {
    email: 'admin@esdc.example.ca',
    password: PASSWORD,
    confirmedAt,
    grants: [{ role: 'department_admin', department: esdc }],
  });
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  overNetwork = `http://${networkAddress}:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await database.drop();
});

/** Signs in over the network address, as someone on another computer would. */
async function signedInOverNetwork(email: string) {
  const client = request.agent(overNetwork);
  const page = await client.get('/en/sign-in').expect(200);
  const _csrf = parse(page.text).querySelector('input[name="_csrf"]')?.getAttribute('value');
  await client
    .post('/en/sign-in')
    .type('form')
    .send({ email, password: PASSWORD, _csrf: _csrf ?? '' })
    .expect(303);
  return client;
}

describe.skipIf(!networkAddress)('the email preview (M8)', () => {
  it('answers a request from this computer', async () => {
    const res = await request(t.app).get('/en/email-preview').expect(200);
    expect(res.text).toContain('<h1>Email preview</h1>');
  });

  it('does not exist for an anonymous visitor over the network, X-Forwarded-For or not', async () => {
    await request(overNetwork).get('/en/email-preview').expect(404);
    await request(overNetwork).get('/fr/apercu-des-courriels').expect(404);
    await request(overNetwork)
      .get('/en/email-preview')
      .set('X-Forwarded-For', '127.0.0.1')
      .expect(404);
  });

  it('does not exist for a department administrator over the network', async () => {
    const admin = await signedInOverNetwork('admin@esdc.example.ca');
    await admin.get('/en/email-preview').expect(404);
  });

  it('answers a signed-in platform administrator over the network', async () => {
    const platform = await signedInOverNetwork('platform@example.ca');
    const res = await platform.get('/en/email-preview').expect(200);
    expect(res.text).toContain('<h1>Email preview</h1>');
  });
});
