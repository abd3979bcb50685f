import type { DemoOpportunity } from '../types.ts';

export const errorSummary: DemoOpportunity = {
  department: 'ESDC',
  // Delivered three days ago: the client has still to review it.
  reaches: 'awarded',
  timing: { opensInDays: -35, closesInDays: -14, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/esdc-edsc/benefits-estimator',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 280_000,
  costCentre: '103470',
  paymentMethod: 'card_direct',
  contract: {
    reaches: 'delivered',
    deliversAfterDays: 9,
    notes:
      'The error summary is in place on the four steps of the estimator, with tests for each error and the French messages reviewed by a colleague.',
  },
  applications: [
    {
      supplier: 'noor@supplier.example.com',
      answers: [
        'I built the error summary and inline errors of a provincial licence renewal form, tested with NVDA and VoiceOver; the repository is public.',
      ],
      link: 'https://github.com/noor-rahman',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Accessible error summary in the benefits estimator',
    summary:
      'When a person makes a mistake in our open-source benefits estimator, show an error summary at the top of the page that links to each field in error, as the Canada.ca design system does.',
    description: [
      {
        heading: 'Background',
        body: [
          'The benefits estimator asks a few questions and estimates which benefits a person may receive. Today its errors appear only in red under each field: screen reader users do not know that the page has errors, and nobody sees an error that is off screen.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'An error summary at the top of each step, with a link to each field in error, that receives the focus when the form comes back.',
            'The page title starting with the number of errors.',
            'Automated tests of each error in English and French.',
          ],
        ],
      },
    ],
    skills: ['Accessibility (WCAG 2.1)', 'React', 'Automated testing'],
    mandatory: [
      'Link to a public form you built or fixed whose errors are announced to screen reader users.',
      'Link to public automated tests you wrote for a web form.',
    ],
    acceptance: [
      'Each step of the estimator shows an error summary that receives the focus, with a link to each field in error.',
      'The automated accessibility tests (axe) pass on every step, with and without errors.',
      'The work is delivered as a pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Sommaire des erreurs accessible dans l’estimateur des prestations',
    summary:
      'Lorsqu’une personne fait une erreur dans notre estimateur des prestations à code source ouvert, afficher en haut de la page un sommaire des erreurs qui mène à chaque champ erroné, comme le fait le Système de design de Canada.ca.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'L’estimateur des prestations pose quelques questions et estime les prestations qu’une personne pourrait recevoir. À l’heure actuelle, ses erreurs s’affichent seulement en rouge sous chaque champ. Les personnes qui utilisent un lecteur d’écran ne savent pas que la page contient des erreurs, et personne ne voit une erreur hors de l’écran.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un sommaire des erreurs en haut de chaque étape, avec un lien vers chaque champ erroné, qui reçoit le focus lorsque le formulaire revient.',
            'Le titre de la page qui commence par le nombre d’erreurs.',
            'Des tests automatisés de chaque erreur en français et en anglais.',
          ],
        ],
      },
    ],
    skills: ['Accessibilité (WCAG 2.1)', 'React', 'Tests automatisés'],
    mandatory: [
      'Lien vers un formulaire public que vous avez conçu ou corrigé et dont les erreurs sont annoncées aux personnes qui utilisent un lecteur d’écran.',
      'Lien vers des tests automatisés publics que vous avez écrits pour un formulaire Web.',
    ],
    acceptance: [
      'Chaque étape de l’estimateur affiche un sommaire des erreurs qui reçoit le focus, avec un lien vers chaque champ erroné.',
      'Les tests d’accessibilité automatisés (axe) réussissent à chaque étape, avec et sans erreurs.',
      'Les travaux sont livrés dans une demande de tirage (pull request), sous licence MIT.',
    ],
  },
};
