import { describe, expect, it } from 'vitest';
import { transitionMessages } from '../../src/lifecycle/messages.ts';
import type { TransitionFailure } from '../../src/lifecycle/transition.ts';
import { conflictReasons, overrideRefusals } from '../../src/lifecycle/segregation.ts';
import { createTranslator } from '../../src/platform/i18n.ts';
import { requestProblems } from '../../src/requests/rules.ts';

/** Every refusal transition() can return, including every request guardrail. */
const ruleCodes = requestProblems(
  {
    sourceLanguage: 'en',
    title: '',
    summary: '',
    description: '',
    repositoryUrl: '',
    licence: '',
    priceCents: null,
    deliveryDueOn: null,
    closingOn: '2026-12-07',
    costCentre: null,
    fund: null,
    glAccount: null,
    paymentMethod: null,
    mandatoryCriteria: 0,
    acceptanceCriteria: 0,
  },
  { costCentres: [], paymentMethods: [], cardExemptionReference: null },
).map((p) => p.code);
const failures: TransitionFailure[] = [
  { kind: 'not_found' },
  { kind: 'forbidden' },
  { kind: 'wrong_state', status: 'draft' },
  { kind: 'stale' },
  { kind: 'reason_required' },
  ...[
    'over_cap',
    'over_delegated_limit',
    'splitting_justification',
    'splitting_not_approved',
    'no_fund_reservation',
    'not_requester',
  ].map((code) => ({ kind: 'guard' as const, failure: { code } })),
  ...[...ruleCodes, 'over_cap', 'due_before_closing', 'card_exemption'].map((rule) => ({
    kind: 'guard' as const,
    failure: { code: 'request_rule', values: { rule } },
  })),
  {
    kind: 'guard',
    failure: { code: 'not_bilingual', values: { fields: 'summary, mandatory_criteria' } },
  },
  ...conflictReasons.map((reason) => ({
    kind: 'segregation' as const,
    conflicts: [{ reason, earlierDuty: 'request' } as never],
  })),
  ...overrideRefusals.map((refusal) => ({
    kind: 'segregation' as const,
    conflicts: [{ reason: 'same_person_requested', earlierDuty: 'request' } as const],
    refusal,
  })),
];

describe('refusal messages', () => {
  it('exist in both languages for every refusal a route can show', async () => {
    const missing: string[] = [];
    const translator = await createTranslator((lang, key) => missing.push(`${lang}:${key}`));
    for (const failure of failures) {
      const en = transitionMessages(failure, translator.t('en'));
      const fr = transitionMessages(failure, translator.t('fr'));
      expect(en.length, JSON.stringify(failure)).toBeGreaterThan(0);
      expect(fr, JSON.stringify(failure)).not.toEqual(en);
    }
    expect(missing).toEqual([]);
  });

  it('name the fields missing a language in the reader’s language', async () => {
    const translator = await createTranslator();
    const [fr] = transitionMessages(
      { kind: 'guard', failure: { code: 'not_bilingual', values: { fields: 'summary, skills' } } },
      translator.t('fr'),
    );
    expect(fr).toContain('résumé, compétences');
  });
});
