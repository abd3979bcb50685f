import { addendumForm, type AddendumForm } from '../addenda/schemas.ts';
import { easternDate, formatDeadline } from '../platform/dates.ts';
import type { Lang } from '../platform/i18n.ts';
import { stepForms, type StepInput } from '../requests/form-schemas.ts';
import type { FieldPair } from '../translation/fields.ts';
import type { Bilingual, Block, DemoOpportunity, DemoText, Section } from './content/types.ts';
import type { DemoPlan } from './timeline.ts';

/**
 * What the demo people type into the forms, parsed by the forms' own schemas: demo content the
 * request form would refuse fails the seed instead of slipping past the rules.
 */

function markdown(sections: readonly Section[]): string {
  const block = (b: Block) => (typeof b === 'string' ? b : b.map((item) => `- ${item}`).join('\n'));
  return sections
    .map((section) => [`### ${section.heading}`, ...section.body.map(block)].join('\n\n'))
    .join('\n\n');
}

const lines = (items: readonly string[]) => items.join('\n');

/** The five steps of the request form, as the client fills them in her language. */
export function requestStep(plan: DemoPlan, formStep: StepInput['step']): StepInput {
  const { spec, window } = plan;
  const text: DemoText = spec[spec.sourceLanguage];
  switch (formStep) {
    case 1:
      return {
        step: 1,
        ...stepForms[1].parse({
          title: text.title,
          summary: text.summary,
          description: markdown(text.description),
        }),
      };
    case 2:
      return {
        step: 2,
        ...stepForms[2].parse({
          repositoryUrl: spec.repositoryUrl,
          licence: spec.licence,
          skills: lines(text.skills),
        }),
      };
    case 3:
      return {
        step: 3,
        ...stepForms[3].parse({
          acceptanceCriteria: lines(text.acceptance),
          mandatoryCriteria: lines(text.mandatory),
        }),
      };
    case 4:
      return {
        step: 4,
        ...stepForms[4].parse({
          price: (spec.priceCents / 100).toFixed(2),
          deliveryDueOn: plan.deliveryDueOn,
          // The dates it will be published with, so the due date is checked against them.
          preferredOpensOn: window?.opensOn ?? '',
          preferredClosesOn: window ? easternDate(window.publishedClosesAt) : '',
        }),
      };
    case 5:
      return {
        step: 5,
        ...stepForms[5].parse({
          costCentre: spec.costCentre,
          fund: '0100',
          glAccount: '52202',
          paymentMethod: spec.paymentMethod,
        }),
      };
  }
}

/** The editor's pairs with the other language filled in from the content, as a translator would. */
export function translatedPairs(spec: DemoOpportunity, pairs: readonly FieldPair[]): FieldPair[] {
  const target: Lang = spec.sourceLanguage === 'en' ? 'fr' : 'en';
  const text = spec[target];
  const translation = (pair: FieldPair): string => {
    switch (pair.kind) {
      case 'title':
      case 'summary':
        return text[pair.kind];
      case 'description':
        return markdown(text.description);
      case 'skills':
        return lines(text.skills);
      case 'mandatory':
      case 'acceptance': {
        const criterion = text[pair.kind][(pair.position ?? 0) - 1];
        if (criterion === undefined) throw new Error(`no ${target} text for ${pair.key}`);
        return criterion;
      }
    }
  };
  return pairs.map((pair) => ({ ...pair, [target]: translation(pair) }));
}

function extensionNotice(days: number, closesAt: Date, reason: Bilingual): Bilingual {
  return {
    en: `The closing date is extended by ${days} days, to ${formatDeadline(closesAt, 'en')}. ${reason.en}`,
    fr: `La date de clôture est reportée de ${days}\u00a0jours, soit au ${formatDeadline(closesAt, 'fr')}. ${reason.fr}`,
  };
}

/** The addendum form as the program officer sends it: texts unchanged, the new closing. */
export function extensionForm(
  plan: DemoPlan,
  opportunity: Record<string, unknown> & { version: number },
): AddendumForm {
  const { spec, window } = plan;
  if (!spec.addendum || !window) throw new Error('no extension to post');
  const notice = extensionNotice(
    spec.addendum.extensionDays,
    window.closesAt,
    spec.addendum.reason,
  );
  const texts = ['title', 'summary', 'description'].flatMap((name) =>
    (['en', 'fr'] as const).map((lang) => [
      `${name}_${lang}`,
      String(opportunity[`${name}_${lang}`]),
    ]),
  );
  return addendumForm.parse({
    version: String(opportunity.version),
    addendum_en: notice.en,
    addendum_fr: notice.fr,
    ...Object.fromEntries(texts),
    closes_on: window.closesOn,
    closes_time: '14:00',
  });
}
