import type { Translate } from '../platform/i18n.ts';
import type { TransitionFailure } from './refusal.ts';

/** What a person reads when a step is refused, in the page's language. */
export function transitionMessages(failure: TransitionFailure, t: Translate): string[] {
  switch (failure.kind) {
    case 'guard': {
      const { code, values = {} } = failure.failure;
      if (code === 'request_rule') return [t(`requests.rules.${String(values.rule)}`)];
      if (code === 'not_bilingual') {
        const fields = String(values.fields)
          .split(', ')
          .map((field) => t(`lifecycle.fields.${field}`))
          .join(', ');
        return [t('lifecycle.guards.not_bilingual', { fields })];
      }
      return [t(`lifecycle.guards.${code}`, values)];
    }
    case 'segregation': {
      const messages = failure.conflicts.map((c) => t(`segregation.${c.reason}`));
      return failure.refusal
        ? [...messages, t(`segregation.override.${failure.refusal}`)]
        : messages;
    }
    case 'wrong_state':
      return [t('lifecycle.failures.wrong_state')];
    default:
      return [t(`lifecycle.failures.${failure.kind}`)];
  }
}
