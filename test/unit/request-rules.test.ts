import { describe, expect, it } from 'vitest';
import { highestPreTaxPriceCents } from '../../src/platform/money.ts';
import {
  isPublicRepositoryUrl,
  requestProblems,
  type DepartmentRules,
  type RequestFacts,
} from '../../src/requests/rules.ts';

const complete: RequestFacts = {
  sourceLanguage: 'fr',
  title: 'Corriger le validateur',
  summary: 'Ajouter des messages en français.',
  description: '### Contexte',
  repositoryUrl: 'https://github.com/canada-ca/validator',
  licence: 'MIT',
  priceCents: 650_000,
  deliveryDueOn: '2027-01-29',
  closingOn: '2026-12-07',
  costCentre: '100234',
  fund: '1000',
  glAccount: '52202',
  paymentMethod: 'card_direct',
  mandatoryCriteria: 2,
  acceptanceCriteria: 1,
};
const department: DepartmentRules = {
  costCentres: ['100234'],
  paymentMethods: ['card_direct', 'card_paypal_checkout', 'paypal_payout'],
  cardExemptionReference: 'CFO-2026-017',
};
const codes = (facts: Partial<RequestFacts>, d: Partial<DepartmentRules> = {}) =>
  requestProblems({ ...complete, ...facts }, { ...department, ...d }).map((p) => p.code);

describe('request guardrails', () => {
  it('accept a complete request', () => {
    expect(codes({})).toEqual([]);
  });

  it('hold the tax-inclusive cap to the cent', () => {
    const edge = highestPreTaxPriceCents();
    expect(codes({ priceCents: edge })).toEqual([]);
    expect(codes({ priceCents: edge + 1 })).toEqual(['over_cap']);
    expect(codes({ priceCents: 0 })).toEqual(['price']);
    expect(codes({ priceCents: null })).toEqual(['price']);
  });

  it('need an OSI licence and a public GitHub or GitLab repository over https', () => {
    expect(codes({ licence: 'CC-BY-4.0' })).toEqual(['licence']);
    expect(codes({ licence: 'Proprietary' })).toEqual(['licence']);
    for (const url of [
      'http://github.com/org/repo',
      'https://github.com/org',
      'https://example.com/org/repo',
      'https://user:secret@github.com/org/repo',
      'not a url',
    ]) {
      expect(isPublicRepositoryUrl(url), url).toBe(false);
    }
    expect(isPublicRepositoryUrl('https://gitlab.com/group/sub/repo')).toBe(true);
  });

  it('need the delivery after the closing date', () => {
    expect(codes({ deliveryDueOn: '2026-12-07' })).toEqual(['due_before_closing']);
    expect(codes({ deliveryDueOn: null })).toEqual(['delivery_due']);
  });

  it("need the department's own cost centre and payment methods, and its card exemption to pay by card", () => {
    expect(codes({ costCentre: '999999' })).toEqual(['cost_centre']);
    expect(codes({ paymentMethod: 'paypal_payout' }, { paymentMethods: ['card_direct'] })).toEqual([
      'payment_method',
    ]);
    expect(codes({}, { cardExemptionReference: null })).toEqual(['card_exemption']);
    // The card through the supplier's PayPal checkout is still the acquisition card.
    expect(
      codes({ paymentMethod: 'card_paypal_checkout' }, { cardExemptionReference: ' ' }),
    ).toEqual(['card_exemption']);
    expect(codes({ paymentMethod: 'paypal_payout' }, { cardExemptionReference: null })).toEqual([]);
  });

  it('list every problem in the order of the form, each with its step', () => {
    const problems = requestProblems(
      { ...complete, title: ' ', mandatoryCriteria: 0, fund: '' },
      department,
    );
    expect(problems).toEqual([
      { code: 'title', step: 1 },
      { code: 'mandatory_criteria', step: 3 },
      { code: 'fund', step: 5 },
    ]);
  });
});
