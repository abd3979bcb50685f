import { describe, expect, it } from 'vitest';
import { errorsOf, fieldValue } from '../helpers/pages.ts';
import { english, requestFormWorld, reviewPath, stepPath } from '../helpers/request-form-world.ts';

/** The request form's criteria step: a work acceptance criterion may name a CI check. */
const w = requestFormWorld();

const checksOf = async (reference: string) => {
  const o = await w.row(reference);
  return w.database
    .db('acceptance_criteria')
    .where({ opportunity_id: o.id })
    .orderBy('position')
    .select('position', 'ci_check');
};

describe('the CI check of a work acceptance criterion (issue 12, item 2)', () => {
  it('is saved with the criterion it numbers, shown again, and changed or removed', async () => {
    const client = await w.signedIn('client@esdc.example.ca');
    const ref = await w.start(client, 'en');
    const step3 = english('https://github.com/canada-ca/ci-checks')[3];
    const saved = await client.post(stepPath(ref, 3), {
      ...step3,
      ciChecks: '2: unit-tests (ubuntu-latest)\n\n1 : lint\n',
      then: 'later',
    });
    expect(saved.status, errorsOf(saved.text).join(' | ')).toBe(303);
    expect(await checksOf(ref)).toEqual([
      { position: 1, ci_check: 'lint' },
      { position: 2, ci_check: 'unit-tests (ubuntu-latest)' },
    ]);
    const shown = await client.client.get(stepPath(ref, 3));
    expect(fieldValue(shown.text, 'ciChecks')).toBe('1: lint\n2: unit-tests (ubuntu-latest)');
    // The review page before submitting lists them.
    const review = await client.client.get(reviewPath(ref));
    expect(review.text).toContain('Criterion 2: unit-tests (ubuntu-latest)');

    await client.post(stepPath(ref, 3), { ...step3, ciChecks: '2: e2e', then: 'later' });
    expect(await checksOf(ref)).toEqual([
      { position: 1, ci_check: null },
      { position: 2, ci_check: 'e2e' },
    ]);
  });

  it('refuses a line it cannot read, keeping what was typed, in both languages', async () => {
    const client = await w.signedIn('client@esdc.example.ca');
    for (const lang of ['en', 'fr'] as const) {
      const ref = await w.start(client, 'en', lang);
      const step3 = english('https://github.com/canada-ca/ci-checks')[3];
      for (const ciChecks of [
        'unit-tests',
        '3: e2e',
        '1: a\n1: b',
        `1: ${'x'.repeat(101)}`,
        '0: lint',
      ]) {
        const res = await client.post(stepPath(ref, 3, lang), {
          ...step3,
          ciChecks,
          then: 'later',
        });
        expect(res.status, ciChecks).toBe(400);
        expect(errorsOf(res.text).join(' ')).toContain(
          lang === 'en'
            ? 'Write each CI check as a criterion’s number'
            : 'Écrivez chaque vérification',
        );
        expect(fieldValue(res.text, 'ciChecks')).toBe(ciChecks);
        expect(fieldValue(res.text, 'acceptanceCriteria')).toBe(step3.acceptanceCriteria);
      }
      expect((await checksOf(ref)).every((c) => c.ci_check === null)).toBe(true);
    }
  });
});
