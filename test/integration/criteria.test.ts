import { parse } from 'node-html-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { url } from '../../src/platform/routes.ts';
import { saveStep } from '../../src/requests/form-service.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment } from '../helpers/fixtures.ts';
import { errorsOf } from '../helpers/pages.ts';
import { insertPerson, signIn } from '../helpers/people.ts';
import {
  aDraftRequest,
  aPublishedOpportunity,
  aSubmittedRequest,
  currentUserOf,
} from '../helpers/scenarios.ts';

/**
 * Criteria keep their ids: the request form saves them in place, nothing past a draft deletes
 * one, and once published an addendum changes one as a new version, the earlier wording kept.
 */
let database: TestDatabase;
let t: TestApp;
const ids: Record<string, number> = {};
const PASSWORD = 'criteria passphrase 2026';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  const esdc = await insertDepartment(database.db);
  const staff = (email: string, role: 'client' | 'program_officer') =>
    insertPerson(database.db, {
      email,
      password: PASSWORD,
      confirmedAt: t.clock.now(),
      grants: [{ role, department: esdc }],
    });
  ids.client = await staff('client@example.gc.ca', 'client');
  ids.officer = await staff('officer@example.gc.ca', 'program_officer');
});

afterAll(async () => {
  await database.drop();
});

const criteriaOf = (table: 'mandatory_criteria' | 'acceptance_criteria', opportunityId: number) =>
  database
    .db(table)
    .where({ opportunity_id: opportunityId })
    .orderBy('position')
    .select('id', 'position', 'version', 'text_en', 'text_fr');

describe('the request form', () => {
  it('saves the criteria in place: a kept line keeps its row wherever it moves', async () => {
    const draft = await aDraftRequest(t, {
      requester: ids.client,
      mandatory: [
        { en: 'A merged pull request in TypeScript', fr: '' },
        { en: 'Experience with i18n', fr: '' },
        { en: 'Knows WCAG 2.1', fr: '' },
      ],
    });
    const [first, second, third] = await criteriaOf('mandatory_criteria', draft.id);
    // A translation made meanwhile stays with its row.
    await database.db('mandatory_criteria').where({ id: second!.id }).update({ text_fr: 'i18n' });
    const [acceptance] = await criteriaOf('acceptance_criteria', draft.id);

    const client = await currentUserOf(database.db, ids.client!);
    const save = (mandatoryCriteria: string[]) =>
      saveStep(t.deps, client, draft.id, {
        step: 3,
        acceptanceCriteria: [acceptance!.text_en],
        mandatoryCriteria,
      });
    expect(await save(['Experience with i18n', 'A merged pull request in Go'])).toEqual({
      ok: true,
    });
    // Moved; edited in the row of a line that went; the line left over is deleted (a draft).
    expect(await criteriaOf('mandatory_criteria', draft.id)).toEqual([
      { id: second!.id, position: 1, version: 1, text_en: 'Experience with i18n', text_fr: 'i18n' },
      {
        id: first!.id,
        position: 2,
        version: 1,
        text_en: 'A merged pull request in Go',
        text_fr: '',
      },
    ]);
    expect(await database.db('mandatory_criteria').where({ id: third!.id })).toEqual([]);
    // A new line is a new row; the others keep theirs.
    await save(['Experience with i18n', 'A merged pull request in Go', 'Knows WCAG 2.1']);
    const [, , added] = await criteriaOf('mandatory_criteria', draft.id);
    expect((await criteriaOf('mandatory_criteria', draft.id)).map((c) => c.id)).toEqual([
      second!.id,
      first!.id,
      added!.id,
    ]);
    expect(added!.id).toBeGreaterThan(third!.id);
    expect(await criteriaOf('acceptance_criteria', draft.id)).toEqual([acceptance]);
  });

  it('cannot lose a criterion once the request is submitted: the database refuses', async () => {
    const submitted = await aSubmittedRequest(t, { requester: ids.client });
    const [criterion] = await criteriaOf('mandatory_criteria', submitted.id);
    await expect(
      database.db('mandatory_criteria').where({ id: criterion!.id }).delete(),
    ).rejects.toThrow(/past its draft cannot be deleted/);
  });
});

describe('a published criterion', () => {
  it('changes only as a new version that keeps the wording it supersedes', async () => {
    const open = await aPublishedOpportunity(t, { requester: ids.client, officer: ids.officer });
    const [criterion] = await criteriaOf('acceptance_criteria', open.id);
    const table = () => database.db('acceptance_criteria').where({ id: criterion!.id });
    await expect(table().update({ text_en: 'Most tests pass' })).rejects.toThrow(
      /is published: a change is a new version/,
    );
    await expect(table().update({ text_en: 'Most tests pass', version: 2 })).rejects.toThrow(
      /must be kept before it is superseded/,
    );
    await expect(table().update({ version: 3 })).rejects.toThrow(/goes from version 1 to 3/);
    expect(await table().first('version', 'text_en')).toEqual({
      version: 1,
      text_en: 'All tests pass',
    });
  });

  it('is changed by an addendum: same id, next version, the old wording kept, the new one shown', async () => {
    const open = await aPublishedOpportunity(t, { requester: ids.client, officer: ids.officer });
    const [mandatory] = await criteriaOf('mandatory_criteria', open.id);
    const path = url('addendum', { ref: open.reference }, 'en');
    const officer = await signIn(t.app, 'officer@example.gc.ca', PASSWORD);
    const form = parse((await officer.client.get(path).expect(200)).text);
    const values: Record<string, string> = {};
    for (const field of form.querySelectorAll('#form input[name], #form textarea')) {
      values[field.getAttribute('name')!] =
        field.tagName === 'TEXTAREA' ? field.text : (field.getAttribute('value') ?? '');
    }
    const en = `mandatory-criterion-${mandatory!.id}_en`;
    const fr = `mandatory-criterion-${mandatory!.id}_fr`;
    expect([values[en], values[fr]]).toEqual([mandatory!.text_en, mandatory!.text_fr]);
    const addendum = {
      ...values,
      addendum_en: 'The first mandatory criterion now accepts Go as well.',
      addendum_fr: 'Le premier critère obligatoire accepte aussi Go.',
      [en]: 'A merged pull request in TypeScript or Go',
      [fr]: 'Une demande de tirage fusionnée en TypeScript ou en Go',
    };

    const blank = await officer.post(path, { ...addendum, [fr]: ' ' });
    expect(blank.status).toBe(400);
    expect(errorsOf(blank.text)).toEqual(['Enter the criterion in French.']);

    const published = await officer.post(path, addendum);
    expect(published.status).toBe(303);
    const [after, other] = await criteriaOf('mandatory_criteria', open.id);
    expect(after).toEqual({
      ...mandatory,
      version: 2,
      text_en: 'A merged pull request in TypeScript or Go',
      text_fr: 'Une demande de tirage fusionnée en TypeScript ou en Go',
    });
    expect(other!.version).toBe(1);
    const [number1] = await database.db('addenda').where({ opportunity_id: open.id });
    expect(await database.db('criterion_versions').select()).toEqual([
      expect.objectContaining({
        mandatory_criterion_id: mandatory!.id,
        acceptance_criterion_id: null,
        version: 1,
        text_en: mandatory!.text_en,
        text_fr: mandatory!.text_fr,
        superseded_by_addendum: number1.id,
      }),
    ]);
    expect(number1.changes).toEqual(['mandatory_criteria']);
    const [event] = await database
      .db('events')
      .where({ opportunity_id: open.id, action: 'addendum' });
    expect(event.payload.criteria).toEqual([{ kind: 'mandatory', id: mandatory!.id, version: 2 }]);

    const publicPage = await request(t.app)
      .get(url('opportunity', { ref: open.reference }, 'en'))
      .expect(200);
    expect(publicPage.text).toContain('A merged pull request in TypeScript or Go');
    expect(publicPage.text).toContain('What changed: mandatory criteria.');
    const french = await request(t.app)
      .get(url('opportunity', { ref: open.reference }, 'fr'))
      .expect(200);
    expect(french.text).toContain('Une demande de tirage fusionnée en TypeScript ou en Go');
    expect(french.text).toContain('critères obligatoires');
  });
});
