import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextReference } from '../../src/opportunities/reference.ts';
import { isPublicRepositoryUrl } from '../../src/requests/rules.ts';
import { checkSplitting } from '../../src/requests/splitting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { create } from '../../src/lifecycle/transition.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import { createTestApp } from '../helpers/app.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { insertPerson } from '../helpers/people.ts';
import {
  aCancelledOpportunity,
  aPublishedOpportunity,
  aScreenedRequest,
  aSubmittedRequest,
  currentUserOf,
} from '../helpers/scenarios.ts';

let database: TestDatabase;
let esdc: number;
let tbs: number;
const now = new Date('2026-11-23T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  esdc = await insertDepartment(database.db);
  tbs = await insertDepartment(database.db, { en: 'TBS', fr: 'SCT' });
});

afterAll(async () => {
  await database.drop();
});

describe('reference numbers', () => {
  it('continue after existing references and never repeat under concurrent requests', async () => {
    // A reference the counter never gave (imported from elsewhere), on a draft the engine creates.
    const client = await insertPerson(database.db, {
      email: 'client@tbs.example.ca',
      password: 'references passphrase',
      confirmedAt: now,
      grants: [{ role: 'client', department: tbs }],
    });
    const actor = await currentUserOf(database.db, client);
    await database.db.transaction((trx) =>
      create(trx, opportunityMachine, {
        values: { reference: 'MA-2027-0041', department_id: tbs, requester_id: client },
        actor,
        now,
      }),
    );
    const taken = await Promise.all(
      Array.from({ length: 8 }, () => database.db.transaction((trx) => nextReference(trx, 2027))),
    );
    expect([...taken].sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `MA-2027-${String(42 + i).padStart(4, '0')}`),
    );
    expect(await database.db.transaction((trx) => nextReference(trx, 2028))).toBe('MA-2028-0001');
  });
});

describe('contract-splitting check', () => {
  it('lists purchases of the same cost centre or repository in the last 12 months that pass $10,000 together', async () => {
    const { db } = database;
    const t = await createTestApp(db);
    const validator = 'https://github.com/canada-ca/example-validator';
    const esdcValidator = { department: esdc, costCentre: '100234', repositoryUrl: validator };
    // Started 13 months ago: outside the window.
    await aPublishedOpportunity(t, {
      ...esdcValidator,
      priceCents: 400_000,
      at: { start: '2025-11-01T00:00:00Z' },
    });
    // Cancelled: no money committed.
    await aCancelledOpportunity(t, { ...esdcValidator, from: 'screened' });
    const counted = await aPublishedOpportunity(t, { ...esdcValidator, priceCents: 400_000 });
    // Same cost centre code in another department: a different cost centre.
    await aPublishedOpportunity(t, {
      department: tbs,
      costCentre: '100234',
      repositoryUrl: 'https://github.com/tbs/other',
      priceCents: 300_000,
    });
    // Another cost centre of ESDC, the same repository written another way.
    const sameRepo = await aPublishedOpportunity(t, {
      department: esdc,
      costCentre: '100235',
      repositoryUrl: 'https://GitHub.com/Canada-CA/Example-Validator.git/',
      priceCents: 100_000,
    });
    // TBS buying from the same repository is not ESDC splitting, and its requests stay private.
    const tbsScreened = await aScreenedRequest(t, {
      department: tbs,
      costCentre: '100234',
      repositoryUrl: validator,
      priceCents: 800_000,
      splittingJustification: 'Another TBS team, another budget: not the same need.',
    });
    const request = {
      id: 0,
      department_id: esdc,
      cost_centre: '100234',
      repository_url: 'https://github.com/canada-ca/example-validator',
      max_total_cents: 460_000,
    };
    const check = await checkSplitting(db, request, now);
    expect(check.related.map((r) => r.reference)).not.toContain(tbsScreened.reference);
    expect(check.related.map((r) => r.reference)).toEqual([counted.reference, sameRepo.reference]);
    expect(check.related[0]).toMatchObject({ sameCostCentre: true, sameRepository: true });
    expect(check.related[1]).toMatchObject({ sameCostCentre: false, sameRepository: true });
    expect(check.totalCents).toBe(460_000 + 460_000 + 115_000);
    expect(check.exceedsCap).toBe(true);

    const small = await checkSplitting(db, { ...request, max_total_cents: 100_000 }, now);
    expect(small.totalCents).toBe(675_000);
    expect(small.exceedsCap).toBe(false);
  });

  // Security review L5: each way of writing one address is that repository.
  const variants = [
    'https://github.com/canada-ca/split-me/tree/main',
    'https://github.com/canada-ca/split-me?x=1',
    'https://github.com/canada-ca/split-me#a',
    'https://github.com:443/canada-ca/split-me',
    'https://github.com//canada-ca/split-me',
    'https://GITHUB.com/Canada-CA/Split-Me',
    'https://github.com/canada-ca/split-me.git/',
    'https://github.com/canada-ca/split-me/blob/main/README.md#installing',
  ];

  it('sees every variant of a repository address from the review as the same repository', async () => {
    const { db } = database;
    for (const url of variants) expect(isPublicRepositoryUrl(url), url).toBe(true);
    const read: { repository: string }[] = await Promise.all(
      variants.map((url) => db.first(db.raw('canonical_repository(?) as repository', [url]))),
    );
    expect(new Set(read.map((r) => r.repository))).toEqual(
      new Set(['github.com/canada-ca/split-me']),
    );

    // One job split into small requests, each from another cost centre than the last one.
    const t = await createTestApp(db);
    const pspc = await insertDepartment(db, { en: 'PSPC', fr: 'SPAC' });
    const parts = [];
    for (const repositoryUrl of variants) {
      parts.push(
        await aSubmittedRequest(t, {
          department: pspc,
          costCentre: '100235',
          repositoryUrl,
          priceCents: 150_000,
          splittingJustification: 'Each part is a separate need, approved by a separate manager.',
        }),
      );
    }
    const stored = await db('opportunities').where({ department_id: pspc }).pluck('repository');
    expect(new Set(stored)).toEqual(new Set(['github.com/canada-ca/split-me']));
    const check = await checkSplitting(
      db,
      {
        id: 0,
        department_id: pspc,
        cost_centre: '100234',
        repository_url: 'https://github.com/canada-ca/split-me',
        max_total_cents: 100_000,
      },
      now,
    );
    expect(check.related.map((r) => r.reference).sort()).toEqual(
      parts.map((p) => p.reference).sort(),
    );
    expect(check.related.every((r) => r.sameRepository && !r.sameCostCentre)).toBe(true);
    expect(check.exceedsCap).toBe(true);
  });

  it('refuses an address a browser would read as another one than the check does', () => {
    for (const url of [
      'https:github.com/canada-ca/split-me',
      'https:///github.com/canada-ca/split-me',
      'https://github.com\\canada-ca\\split-me',
      'https://github.com/x/../canada-ca/split-me',
      'https://github.com/x/%2e%2e/canada-ca/split-me',
      'https://github.com/canada-ca/%73plit-me',
      'https://github.com./canada-ca/split-me',
      'https://github.com:8443/canada-ca/split-me',
      'https://ｇithub.com/canada-ca/split-me',
      'https://github.com/canada-ca/split me',
      'https://github.com/canada-ca/.git',
    ]) {
      expect(isPublicRepositoryUrl(url), url).toBe(false);
    }
    expect(isPublicRepositoryUrl('https://gitlab.com/group/sub/project/-/tree/main')).toBe(true);
  });
});
