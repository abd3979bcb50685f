import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { errorsOf } from '../helpers/pages.ts';
import { applicantLetter, positionOfLetter } from '../../src/evaluation/rules.ts';
import { evaluationWorld } from '../helpers/evaluation-world.ts';

const w = evaluationWorld();
const fr = (ref: string) => `/fr/demandes-d-occasion/${ref}/evaluation`;

describe('the evaluation pages in French', () => {
  it('declares, decides and refuses in French, with every key found', async () => {
    const file = await w.aClosedFile(2);
    const client = await w.as('client');
    const first = await client.client.get(fr(file.reference));
    expect(first.status).toBe(200);
    expect(parse(first.text).querySelector('html')?.getAttribute('lang')).toBe('fr');
    expect(first.text).toContain('Je déclare n’avoir aucun conflit d’intérêts');
    const missing = await client.post(`${fr(file.reference)}/declaration`, {}, fr(file.reference));
    expect(missing.status).toBe(400);
    expect(errorsOf(missing.text)).toEqual([
      'Cochez la case pour déclarer que vous n’avez aucun conflit d’intérêts',
    ]);
    const declared = await client.post(
      `${fr(file.reference)}/declaration`,
      { noConflict: 'yes' },
      fr(file.reference),
    );
    expect(declared.status).toBe(303);
    const event = await w.database
      .db('events')
      .where({ entity_id: file.id, action: 'declare_no_conflict' })
      .first();
    expect(event.payload).toEqual({
      language: 'fr',
      wording: expect.stringContaining('Je déclare n’avoir aucun conflit d’intérêts'),
    });
    expect(event.duty).toBe('evaluate');

    const overview = await client.client.get(fr(file.reference));
    expect(
      parse(overview.text)
        .querySelectorAll('#applicants + table tbody th a')
        .map((a) => a.textContent.trim()),
    ).toEqual(['Demande A', 'Demande B']);
    const applicant = await client.client.get(`${fr(file.reference)}/candidats/B`);
    expect(applicant.status).toBe(200);
    expect(applicant.text).toContain('Justification');
    const locked = await client.post(
      `${fr(file.reference)}/verrouillage`,
      { version: String(file.version) },
      fr(file.reference),
    );
    expect(locked.status).toBe(409);
    expect(errorsOf(locked.text)).toEqual([
      'Chaque demande doit avoir une décision pour chaque critère, par chaque personne qui évalue, avant le verrouillage.',
    ]);

    const officer = await w.as('officer');
    const page = await officer.client.get(fr(file.reference));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ce ministère demande 1 évaluateur ou évaluatrice.');
    expect((await officer.client.get('/fr/a-traiter')).status).toBe(200);
    expect(w.t.missingKeys).toEqual([]);
  });

  it('gives the place to the evaluator the program officer named, not to the requester as well', async () => {
    const file = await w.aClosedFile(1);
    const officer = await w.as('officer');
    const named = await officer.post(
      `${fr(file.reference)}/evaluateurs`,
      { evaluator: String(w.ids.colleague) },
      fr(file.reference),
    );
    expect(named.status).toBe(303);
    const client = await w.as('client');
    const page = await client.client.get(fr(file.reference));
    expect(parse(page.text).querySelector('input[name="noConflict"]')).toBeNull();
    const refused = await client.post(
      `${fr(file.reference)}/declaration`,
      { noConflict: 'yes' },
      fr(file.reference),
    );
    expect(refused.status).toBe(409);
    expect(errorsOf(refused.text)).toEqual([
      'L’évaluation compte déjà le nombre de personnes qui évaluent que demande le ministère.',
    ]);
  });

  it('stays sealed until the closing: no letters drawn, nothing to decide; an evaluator can be named already', async () => {
    const file = await w.aClosedFile(2, { closed: false });
    expect(file.status).toBe('published');
    const client = await w.as('client');
    const page = await client.client.get(fr(file.reference));
    expect(page.status).toBe(200);
    expect(page.text).toContain('L’évaluation commence à la clôture de l’occasion.');
    const officer = await w.as('officer');
    expect((await officer.client.get(fr(file.reference))).status).toBe(200);
    expect(await w.database.db('anonymous_applicants').where({ opportunity_id: file.id })).toEqual(
      [],
    );
    const early = await client.post(
      `${fr(file.reference)}/declaration`,
      { noConflict: 'yes' },
      fr(file.reference),
    );
    expect(errorsOf(early.text)).toEqual([
      'L’occasion n’est pas close : il n’y a rien à évaluer pour l’instant.'.replace(
        ' :',
        '\u00a0:',
      ),
    ]);
    const named = await officer.post(
      `${fr(file.reference)}/evaluateurs`,
      { evaluator: String(w.ids.colleague) },
      fr(file.reference),
    );
    expect(named.status).toBe(303);
  });

  it('answers 404 to a client of the department who is neither the requester nor named', async () => {
    const file = await w.aClosedFile(1);
    const colleague = await w.as('colleague');
    expect((await colleague.client.get(fr(file.reference))).status).toBe(404);
    expect((await colleague.client.get(`${fr(file.reference)}/candidats/A`)).status).toBe(404);
  });
});

describe('applicant letters', () => {
  it('run A to Z, then AA, and read back to the same position', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(applicantLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    for (let n = 1; n <= 1000; n += 1) expect(positionOfLetter(applicantLetter(n))).toBe(n);
    for (const bad of ['', 'a', 'A1', 'AAAA', '../A', 1])
      expect(positionOfLetter(bad)).toBeUndefined();
  });
});
