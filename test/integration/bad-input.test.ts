import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.ts';
import { pages, url, type UrlParams } from '../../src/platform/routes.ts';
import type { RouteDef } from '../../src/platform/router.ts';
import { departmentRoles } from '../../src/platform/roles.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import {
  aDraftRequest,
  aFundedRequest,
  aPublishedOpportunity,
  aReadyRequest,
  aScreenedRequest,
  aSubmittedRequest,
  aTranslatedRequest,
} from '../helpers/scenarios.ts';
import type { agent } from '../helpers/session.ts';

/**
 * Whatever a person (or a script) sends to any form — empty, huge, repeated, malformed, hostile
 * — the answer is a page, never a 500. Every POST route of the site, signed in as someone who
 * may reach it, against requests in several states.
 */
const PASSWORD = 'bad input passphrase 2026';
let database: TestDatabase;
let t: TestApp;
const people: Record<string, ReturnType<typeof agent>> = {};
const references: string[] = [];

/** Every field name the forms use, and the ones a form builds from a row (criteria, answers). */
const fields = [
  ...'acceptanceCriteria acronymEn acronymFr addendum_en addendum_fr amount answer_en answer_fr approveSplitting attest cardExemptionReference closes_on closes_time closingDate closingTime comments confirm costCentre costCentres decision deliveryDueOn department description description_en description_fr email fund glAccount emailDomains grant grantDelegation grantLimit grantRole grantUser intent inviteDelegation inviteEmail inviteLanguage inviteLimit inviteName inviteRole justification language licence mandatoryCriteria nameEn nameFr openingDate openingTime password passwordConfirmation paymentCard paymentCardPaypal paymentMethod paymentPaypal preferredClosesOn preferredOpensOn price privacy proposal question questionId question_en question_fr reason repositoryUrl reservationNumber skills skills_en skills_fr sourceLanguage summary summary_en summary_fr then title title_en title_fr version watch action'.split(
    ' ',
  ),
  'mandatory-1_en',
  'mandatory-1_fr',
  'acceptance-1_fr',
  'mandatory-criterion-1_en',
  'acceptance-criterion-1_fr',
];

const hostile = [
  '',
  ' ',
  'x'.repeat(30_000),
  '-1',
  '0',
  '1e309',
  'NaN',
  '9'.repeat(40),
  '2026-02-30',
  '0000-01-01',
  '9999-12-20',
  '２０２６-１１-３０',
  '25:99',
  '<script>alert(1)</script>',
  "'; DROP TABLE opportunities; --",
  '\u0000\u202e',
  '../../etc/passwd',
  'MA-2026-0001',
];

function form(seed: number): string {
  const parts = fields.map((name, i) => {
    const value = hostile[(seed + i) % hostile.length]!;
    // Some fields twice: a body parser turns them into arrays.
    const repeat = (seed + i) % 5 === 0 ? `&${name}=${encodeURIComponent(value)}` : '';
    return `${name}=${encodeURIComponent(value)}${repeat}`;
  });
  return parts.join('&');
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const esdc = await insertDepartment(db);
  t = await createTestApp(db);
  const admin = await insertPerson(db, {
    email: 'admin@example.gc.ca',
    password: PASSWORD,
    confirmedAt: t.clock.now(),
    // Every role of the department, so every form of every state is reachable.
    grants: [
      { role: 'platform_admin', department: null },
      ...departmentRoles.map((role) => ({ role, department: esdc, limitCents: 1_000_000 })),
    ],
  });
  await insertPerson(db, {
    email: 'supplier@example.com',
    kind: 'supplier',
    password: PASSWORD,
    confirmedAt: t.clock.now(),
  });
  // One request in each state before the award, reached through the actions.
  for (const build of [
    aDraftRequest,
    aSubmittedRequest,
    aScreenedRequest,
    aFundedRequest,
    aTranslatedRequest,
    aReadyRequest,
    aPublishedOpportunity,
  ]) {
    references.push((await build(t, { department: esdc, requester: admin })).reference);
  }
  people.admin = await signIn(t.app, 'admin@example.gc.ca', PASSWORD);
  people.supplier = await signIn(t.app, 'supplier@example.com', PASSWORD);
});

afterAll(async () => {
  await database.drop();
});

function paramsFor(route: RouteDef, reference: string): UrlParams {
  const params: UrlParams = {};
  for (const [, name] of pages[route.page].en.matchAll(/:(\w+)/g)) {
    if (name === 'ref') params.ref = reference;
    else if (name === 'step') params.step = '4';
    else if (name === 'dept') params.dept = 'esdc';
    else params[name!] = 'x'.repeat(43);
  }
  return params;
}

describe('bad input', () => {
  it('never gets a 500 from any form, whoever sends it and whatever the state', async () => {
    const posts = routeTable(t.deps).filter(
      (r) => r.method === 'post' && !['signOut'].includes(r.page),
    );
    const failures: string[] = [];
    let sent = 0;
    for (const [who, a] of Object.entries(people)) {
      const token = await a.csrf('/en/account');
      for (const route of posts) {
        for (const [seed, reference] of references.entries()) {
          const path = url(route.page, paramsFor(route, reference), 'en');
          const res = await a.client
            .post(path)
            .type('form')
            .send(`_csrf=${encodeURIComponent(token)}&${form(seed)}`);
          sent += 1;
          if (res.status >= 500) failures.push(`${who} POST ${path} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(200);
    // Every POST route × person × state, one after another: past 30 s on a loaded 2-core machine.
  }, 300_000);

  it('drops a NUL character typed into a valid form instead of failing (PostgreSQL text cannot hold it)', async () => {
    const draft = references[0]!;
    const res = await people.admin!.post(`/en/requests/${draft}/step/1`, {
      title: 'Keyboard\u0000 shortcuts',
      summary: 'Shortcuts for the search page.',
      description: 'Background.',
      then: 'continue',
    });
    expect(res.status).toBe(303);
    const row = await database.db('opportunities').where({ reference: draft }).first();
    expect(row.title_en).toBe('Keyboard shortcuts');
  });

  it('refuses dates of years PostgreSQL or the business-day calendar cannot hold, with a message', async () => {
    const draft = references[0]!;
    for (const dates of [
      { deliveryDueOn: '0000-01-01', preferredOpensOn: '', preferredClosesOn: '' },
      { deliveryDueOn: '2027-03-01', preferredOpensOn: '9999-12-20', preferredClosesOn: '' },
    ]) {
      const res = await people.admin!.post(`/en/requests/${draft}/step/4`, {
        price: '5000',
        ...dates,
        then: 'continue',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('error-summary');
    }
  });
});
