import type { DemoOpportunity } from '../types.ts';

export const outageBanner: DemoOpportunity = {
  department: 'ESDC',
  // The whole cycle: a first delivery sent back for revisions, delivered again and accepted,
  // invoiced, certified, paid by acquisition card and the payment's receipt confirmed.
  reaches: 'awarded',
  timing: { opensInDays: -66, closesInDays: -45, deliveryWeeks: 4 },
  repositoryUrl: 'https://github.com/esdc-edsc/service-status-banner',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 300_000,
  costCentre: '103520',
  paymentMethod: 'card_direct',
  contract: {
    reaches: 'completed',
    deliversAfterDays: 12,
    notes:
      'The banner reads the status feed, shows the planned and unplanned outages in both languages, and can be dismissed; the pull request has the tests and the documentation.',
    revisions: {
      comment:
        'La documentation en français manque : seule la version anglaise du fichier README est livrée.',
      reason: 'Merci d’ajouter la documentation en français, le reste est conforme.',
    },
  },
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'I built the outage banner of a provincial health portal, in English and French, that reads a JSON status feed; the code is public.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'noor@supplier.example.com',
      answers: ['I have designed several marketing websites for small businesses.'],
      link: 'https://github.com/noor-rahman',
      submitted: true,
      passes: false,
    },
  ],
  en: {
    title: 'Service outage banner for our online services',
    summary:
      'A small open-source component that shows a banner on our online services when one of them is down or will be, read from the status feed our operations team already publishes.',
    description: [
      {
        heading: 'Background',
        body: [
          'When an online service is down for maintenance, people find out only when it fails. Our operations team already publishes a status feed, but the services do not read it.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A web component that reads the status feed and shows a banner for the planned and unplanned outages of the service it is on.',
            'The banner in the page’s language, announced to screen readers and dismissible.',
            'Documentation in English and French.',
          ],
        ],
      },
    ],
    skills: ['Web components', 'Accessibility (WCAG 2.1)', 'JavaScript'],
    mandatory: [
      'Link to a public web component or front-end library you wrote.',
      'Link to public work of yours that shows content in English and French.',
    ],
    acceptance: [
      'The banner shows the planned and unplanned outages of the sample feed in English and French, and can be dismissed.',
      'The automated accessibility tests (axe) pass with the banner shown.',
      'The documentation is available in English and French.',
      'The work is delivered as a pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Bandeau d’interruption de service pour nos services en ligne',
    summary:
      'Un petit composant à code source ouvert qui affiche un bandeau sur nos services en ligne lorsque l’un d’eux est ou sera interrompu, d’après le fil d’état que notre équipe des opérations publie déjà.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Lorsqu’un service en ligne est interrompu pour maintenance, les gens ne l’apprennent qu’au moment où il échoue. Notre équipe des opérations publie déjà un fil d’état, mais les services ne le lisent pas.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un composant Web qui lit le fil d’état et affiche un bandeau pour les interruptions prévues et imprévues du service où il se trouve.',
            'Le bandeau dans la langue de la page, annoncé aux lecteurs d’écran et qu’on peut fermer.',
            'De la documentation en français et en anglais.',
          ],
        ],
      },
    ],
    skills: ['Composants Web', 'Accessibilité (WCAG 2.1)', 'JavaScript'],
    mandatory: [
      'Lien vers un composant Web ou une bibliothèque d’interface publique que vous avez écrite.',
      'Lien vers un de vos travaux publics qui présente du contenu en français et en anglais.',
    ],
    acceptance: [
      'Le bandeau affiche en français et en anglais les interruptions prévues et imprévues du fil d’exemple, et on peut le fermer.',
      'Les tests d’accessibilité automatisés (axe) réussissent lorsque le bandeau est affiché.',
      'La documentation est offerte en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request), sous licence MIT.',
    ],
  },
};
