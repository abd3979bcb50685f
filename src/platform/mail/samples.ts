import { emailTemplates, type EmailTemplate } from './outbox.ts';

const both = <T>(en: T, fr: T) => ({ en, fr });
const REF = 'MA-2026-0042';
const opportunityLinks = both(`/en/opportunities/${REF}`, `/fr/occasions/${REF}`);
const sampleValues = {
  reference: REF,
  invoice: 'F-0007',
  invoiceNumber: 'F-0007',
  day: 20,
  round: 2,
  position: 2,
  passed: 3,
  offered: 1,
  termsVersion: 3,
};

/**
 * Made-up data every template's variables come from in the email preview: one opportunity,
 * MA-2026-0042, at each step of its life. A template whose data has other names takes them
 * from `byTemplate`.
 */
const common: Record<string, unknown> = {
  ...sampleValues,
  title: both('Fix the form validator', 'Corriger le validateur de formulaires'),
  summary: both('French messages and more.', 'Des messages en français et plus.'),
  price: both('$6,500.00', '6 500,00 $'),
  amount: both('$7,345.00', '7 345,00 $'),
  deadline: both(
    'December 4, 2026 at 2:00 p.m. (Eastern time)',
    '4 décembre 2026 à 14 h (heure de l’Est)',
  ),
  respondBy: both('December 9, 2026', '9 décembre 2026'),
  reportBy: both('December 18, 2026', '18 décembre 2026'),
  dueOn: both('January 15, 2027', '15 janvier 2027'),
  paidOn: both('December 20, 2026', '20 décembre 2026'),
  at: both('December 3, 2026', '3 décembre 2026'),
  limit: both('$10,000.00', '10 000,00 $'),
  department: both(
    'Employment and Social Development Canada',
    'Emploi et Développement social Canada',
  ),
  links: opportunityLinks,
  link: opportunityLinks,
  opportunityLink: opportunityLinks,
  feedback: both(`/en/opportunities/${REF}/feedback`, `/fr/occasions/${REF}/retroaction`),
  unsubscribeLinks: both('/en/unsubscribe/sample-token', '/fr/desabonnement/sample-token'),
  // Only watchers' emails show it (views/emails/partials/unwatch.*).
  unwatchLinks: both('/en/unwatch/sample-token', '/fr/ne-plus-suivre/sample-token'),
  resetLink: both('/en/forgot-password', '/fr/mot-de-passe-oublie'),
  url: '/en/confirm-email/sample-token',
  values: both(
    {
      ...sampleValues,
      number: 1,
      summary: 'The deadline moves by a week.',
      extension: 'The closing date is now December 11, 2026.',
      deadline: 'December 4, 2026 at 2:00 p.m. (Eastern time)',
      midpoint: 'December 20, 2026',
      due: 'January 15, 2027',
      dueOn: 'January 15, 2027',
      from: 'January 15, 2027',
      to: 'January 29, 2027',
      total: '$7,345.00',
      reserved: '$7,000.00',
    },
    {
      ...sampleValues,
      number: 1,
      summary: 'La date limite est reportée d’une semaine.',
      extension: 'La date de clôture est maintenant le 11 décembre 2026.',
      deadline: '4 décembre 2026 à 14 h (heure de l’Est)',
      midpoint: '20 décembre 2026',
      due: '15 janvier 2027',
      dueOn: '15 janvier 2027',
      from: '15 janvier 2027',
      to: '29 janvier 2027',
      total: '7 345,00 $',
      reserved: '7 000,00 $',
    },
  ),
  // A role (the staff invitation and the two-person grant), the payment reminders' duty.
  role: 'section34_manager',
  person: 'Alex Tremblay',
  proposer: 'Sam Roy',
  confirmer: 'Kim Gagnon',
  duty: 'certify',
  recipient: 'account',
  fields: ['paypalEmail'],
  detail: 'Please add a test for the French messages.',
  decisions: both(
    [{ criterion: 'Experience with TypeScript', passed: false, reasons: ['No example given.'] }],
    [{ criterion: 'Expérience de TypeScript', passed: false, reasons: ['Aucun exemple donné.'] }],
  ),
  answers: both(
    [{ number: 1, criterion: 'Experience with TypeScript', answer: 'Five years.', links: [] }],
    [{ number: 1, criterion: 'Expérience de TypeScript', answer: 'Cinq ans.', links: [] }],
  ),
  attested: ['I am of the age of majority in my province.'],
};

const byTemplate: Partial<Record<EmailTemplate, Record<string, unknown>>> = {
  // The offer's page, where the terms are accepted or declined.
  'offer-selected': { link: both('/en/offers/7', '/fr/offres/7') },
  'queue-digest': {
    count: 1,
    items: [
      {
        queue: 'invoicesToCertify',
        reference: REF,
        dueOn: both('January 15, 2027', '15 janvier 2027'),
      },
    ],
    link: both('/en/work-queues', '/fr/a-traiter'),
  },
};

/** Every template with its sample data, in the order of the outbox's list. */
export function emailSamples(): { template: EmailTemplate; data: Record<string, unknown> }[] {
  return emailTemplates.map((template) => ({
    template,
    data: { ...common, ...byTemplate[template] },
  }));
}

export const sampleReference = REF;
