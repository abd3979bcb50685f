import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { APPLICANT_PASSWORD, aSubmittedApplication, aSupplier } from '../helpers/applicants.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { errorsOf } from '../helpers/pages.ts';
import { signIn } from '../helpers/people.ts';
import { aPublishedOpportunity, type Scenario } from '../helpers/scenarios.ts';

/** A supplier's optional self-identification for their own application, on its own page. */
let database: TestDatabase;
let t: TestApp;
let opportunity: Scenario;
let applicationId: number;
let EN: string;
let FR: string;

const checked = (html: string) =>
  parse(html)
    .querySelectorAll('input[type="radio"][checked]')
    .map((i) => `${i.getAttribute('name')}=${i.getAttribute('value')}`)
    .sort();
const rowOf = () =>
  database.db('self_identifications').where({ application_id: applicationId }).first();
const eventCount = async () => Number((await database.db('events').count())[0]!.count);

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTestApp(database.db);
  opportunity = await aPublishedOpportunity(t);
  const supplier = await aSupplier(t, 'amelie.tremblay@example.com', 'fr');
  await aSupplier(t, 'other.supplier@example.com');
  applicationId = await aSubmittedApplication(t, opportunity, supplier);
  EN = `/en/opportunities/${opportunity.reference}/self-identification`;
  FR = `/fr/occasions/${opportunity.reference}/auto-identification`;
});
afterAll(() => database.drop());

const supplier = (lang: 'en' | 'fr' = 'en') =>
  signIn(t.app, 'amelie.tremblay@example.com', APPLICANT_PASSWORD, lang);

describe('self-identification', () => {
  it('is a page of its own, voluntary, with its privacy notice in each language', async () => {
    const a = await supplier();
    const en = await a.client.get(EN).expect(200);
    expect(en.text).toContain('This is voluntary and separate from your application');
    expect(en.text).toContain('Privacy Act');
    expect(en.text).toContain('to extend the present laws of Canada');
    expect(en.text).toContain('women, Indigenous peoples');
    expect(en.text).toContain('Prefer not to say');
    expect(checked(en.text)).toEqual([]);
    const fr = await a.client.get(FR).expect(200);
    expect(fr.text).toContain('Loi sur la protection des renseignements personnels');
    expect(fr.text).toContain('Loi sur l’équité en matière d’emploi');
    expect(fr.text).toContain('Je préfère ne pas répondre');
    expect(t.missingKeys).toEqual([]);
  });

  it('saves the answers given, leaves the others unanswered, and records no event', async () => {
    const a = await supplier();
    const before = await eventCount();
    const res = await a.post(EN, {
      action: 'save',
      outside_ncr: 'yes',
      equity_group: 'prefer_not_to_say',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${EN}?done=saved`);
    expect(await rowOf()).toMatchObject({
      outside_ncr: 'yes',
      equity_group: 'prefer_not_to_say',
      small_business: null,
      first_gc_contract: null,
    });
    expect(await eventCount()).toBe(before);
    const page = await a.client.get(res.headers.location!).expect(200);
    expect(page.text).toContain('Your answers were saved. Evaluators never see them.');
    expect(checked(page.text)).toEqual(['equity_group=prefer_not_to_say', 'outside_ncr=yes']);

    // Answering again replaces the earlier answers.
    await a.post(EN, { action: 'save', small_business: 'no' });
    expect(await rowOf()).toMatchObject({ outside_ncr: null, small_business: 'no' });
  });

  it('refuses an empty form or an unknown answer in the page’s language, keeping what was chosen', async () => {
    const a = await supplier('fr');
    const empty = await a.post(FR, { action: 'save' });
    expect(empty.status).toBe(400);
    expect(errorsOf(empty.text)).toEqual([
      'Vous n’avez choisi aucune réponse; rien n’a été enregistré. Répondre est facultatif\u00a0: vous pouvez aussi quitter cette page.',
    ]);
    const odd = await a.post(FR, {
      action: 'save',
      outside_ncr: 'no',
      equity_group: 'women',
    });
    expect(odd.status).toBe(400);
    expect(errorsOf(odd.text)).toEqual([
      'Choisissez l’une des réponses proposées ou laissez la question sans réponse.',
    ]);
    expect(checked(odd.text)).toEqual(['outside_ncr=no']);
    expect(await rowOf()).toMatchObject({ small_business: 'no' });
    const en = await a.post(EN, { action: 'save', first_gc_contract: 'maybe' });
    expect(errorsOf(en.text)).toEqual([
      'Choose one of the answers shown, or leave the question unanswered.',
    ]);
  });

  it('removes every answer on request', async () => {
    const a = await supplier();
    const res = await a.post(EN, { action: 'remove' });
    expect(res.headers.location).toBe(`${EN}?done=removed`);
    expect(await rowOf()).toBeUndefined();
  });

  it('is the supplier’s own: another supplier gets a 404', async () => {
    const other = await signIn(t.app, 'other.supplier@example.com', APPLICANT_PASSWORD);
    await other.client.get(EN).expect(404);
    const token = await other.csrf(`/en/opportunities/${opportunity.reference}`);
    await other.client
      .post(EN)
      .type('form')
      .send({ _csrf: token, action: 'save', outside_ncr: 'yes' })
      .expect(404);
    expect(await rowOf()).toBeUndefined();
  });
});
