import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import { aDraftRequest, aPublishedOpportunity } from '../helpers/scenarios.ts';

/**
 * Review M6 (its test 5): a client reads their own requests; a second client of the same
 * department gets a 404 on the first one's request page and on its questions page, as if the
 * request did not exist. The program team, section 32 and finance read the department's.
 */
const PASSWORD = 'request reading passphrase';
const DRAFT_TITLE = 'Secret draft of client 1';
const PUBLISHED_TITLE = 'Published request of client 1';

let database: TestDatabase;
let t: TestApp;
const refs = { draft: '', published: '' };

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const esdc = await insertDepartment(db);
  t = await createTestApp(db, { now: '2026-11-20T15:00:00Z' });
  const staff = async (email: string, role: 'client' | 'program_officer' | 'finance_officer') =>
    insertPerson(db, {
      email,
      password: PASSWORD,
      grants: [{ role, department: esdc }],
      confirmedAt: t.clock.now(),
    });
  const requester = await staff('client1@esdc.example.ca', 'client');
  await staff('client2@esdc.example.ca', 'client');
  await staff('officer@esdc.example.ca', 'program_officer');
  await staff('finance@esdc.example.ca', 'finance_officer');
  const published = await aPublishedOpportunity(t, {
    department: esdc,
    requester,
    titleEn: PUBLISHED_TITLE,
    opensAt: '2026-11-20T15:00:00Z',
    closesAt: '2026-12-04T19:00:00Z',
  });
  const draft = await aDraftRequest(t, { department: esdc, requester, titleEn: DRAFT_TITLE });
  refs.draft = draft.reference;
  refs.published = published.reference;
});

afterAll(async () => {
  await database.drop();
});

const pagesOf = () => [
  { path: url('request', { ref: refs.draft }, 'en'), title: DRAFT_TITLE },
  { path: url('request', { ref: refs.draft }, 'fr'), title: DRAFT_TITLE },
  { path: url('request', { ref: refs.published }, 'en'), title: PUBLISHED_TITLE },
  { path: url('answerQuestions', { ref: refs.published }, 'en'), title: PUBLISHED_TITLE },
  { path: url('answerQuestions', { ref: refs.published }, 'fr'), title: PUBLISHED_TITLE },
  { path: url('cancelRequest', { ref: refs.published }, 'en'), title: PUBLISHED_TITLE },
];

describe('who reads a request', () => {
  it('answers a second client of the same department 404 on the first client’s request and questions pages', async () => {
    const colleague = await signIn(t.app, 'client2@esdc.example.ca', PASSWORD);
    for (const { path, title } of pagesOf()) {
      const res = await colleague.client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain(title);
    }
    // Nor through a form that would act on it.
    const _csrf = await colleague.csrf('/en/requests');
    const cancel = await colleague.client
      .post(url('cancelRequest', { ref: refs.published }, 'en'))
      .type('form')
      .send({ _csrf, reason: 'Not mine to cancel', version: '1' });
    expect(cancel.status).toBe(404);
  });

  it('shows the requester their own request and its questions', async () => {
    const requester = await signIn(t.app, 'client1@esdc.example.ca', PASSWORD);
    for (const { path, title } of pagesOf().filter((p) => p.path.startsWith('/en/'))) {
      const res = await requester.client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain(title);
    }
  });

  it('keeps department-wide reading for the program team and finance', async () => {
    for (const email of ['officer@esdc.example.ca', 'finance@esdc.example.ca']) {
      const reader = await signIn(t.app, email, PASSWORD);
      for (const ref of [refs.draft, refs.published]) {
        const res = await reader.client.get(url('request', { ref }, 'en'));
        expect(res.status, `${email} ${ref}`).toBe(200);
      }
    }
  });
});
