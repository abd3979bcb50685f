import { describe, expect, it } from 'vitest';
import { applicationMachine } from '../../src/applications/machine.ts';
import { contractMachine } from '../../src/contracts/machine.ts';
import { invoiceMachine } from '../../src/invoices/machine.ts';
import { opportunityMachine } from '../../src/opportunities/machine.ts';
import { paymentMachine } from '../../src/payments/machine.ts';
import { createTranslator, type Lang } from '../../src/platform/i18n.ts';
import { actionLabelKey, labelledActions, stateLabelKey } from '../../src/review/history.ts';

const machines = [
  opportunityMachine,
  applicationMachine,
  contractMachine,
  invoiceMachine,
  paymentMachine,
] as const;
const translator = await createTranslator();

/** A label exists when i18next finds the key: it answers the key itself otherwise. */
function labelOf(lang: Lang, key: string): string {
  const text = translator.t(lang)(key);
  expect(text, `${lang}: ${key}`).not.toBe(key);
  expect(text.trim(), `${lang}: ${key}`).not.toBe('');
  return text;
}

describe('every step and state of every machine', () => {
  it('has a label in English and in French, never the raw action name', () => {
    for (const machine of machines) {
      const actions = [...(labelledActions[machine.entity] ?? [])];
      expect(actions, machine.entity).toEqual(
        expect.arrayContaining(Object.keys(machine.transitions)),
      );
      for (const action of actions) {
        const key = actionLabelKey(machine.entity, action);
        expect(key, `${machine.entity}.${action}`).not.toBe('review.history.otherStep');
        for (const lang of ['en', 'fr'] as const) {
          expect(labelOf(lang, key)).not.toBe(action);
        }
      }
      for (const state of machine.states) {
        for (const lang of ['en', 'fr'] as const)
          labelOf(lang, stateLabelKey(machine.entity, state));
      }
    }
  });

  it('shows an unknown step as a recorded step, not by its code', () => {
    expect(actionLabelKey('contract', 'something_new')).toBe('review.history.otherStep');
    expect(labelOf('fr', actionLabelKey('contract', 'something_new'))).toBe('Étape enregistrée');
  });
});
