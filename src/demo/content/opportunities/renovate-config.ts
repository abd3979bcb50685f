import type { DemoOpportunity } from '../types.ts';

export const renovateConfig: DemoOpportunity = {
  department: 'ESDC',
  // Certified under section 34: finance may pay it by PayPal payout (the supplier has a PayPal
  // email); PayPal is off in the demo unless it is configured, as the payment page says.
  reaches: 'awarded',
  timing: { opensInDays: -43, closesInDays: -22, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/esdc-edsc/shared-renovate-config',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 260_000,
  costCentre: '103510',
  paymentMethod: 'paypal_payout',
  contract: {
    reaches: 'certified',
    deliversAfterDays: 9,
    notes:
      'La configuration commune regroupe les mises à jour mineures chaque lundi et ouvre les mises à jour de sécurité tout de suite. La documentation est dans les deux langues.',
  },
  applications: [
    {
      supplier: 'etienne@supplier.example.com',
      answers: [
        'Je maintiens la configuration Renovate des onze dépôts publics de mon association de données ouvertes depuis 2023.',
      ],
      link: 'https://github.com/etienne-cote',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Shared Renovate configuration for our Node.js repositories',
    summary:
      'Write one shared Renovate configuration that keeps the dependencies of our Node.js repositories up to date, with grouped weekly updates and security updates at once.',
    description: [
      {
        heading: 'Background',
        body: [
          'ESDC teams keep about thirty public Node.js repositories. Each updates its dependencies its own way, some never, and security updates wait for weeks.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A shared Renovate preset in its own repository that our repositories extend.',
            'Minor and patch updates grouped in one pull request a week; security updates opened at once.',
            'Documentation in English and French on how a team turns it on.',
          ],
        ],
      },
    ],
    skills: ['Renovate', 'Node.js', 'GitHub'],
    mandatory: [
      'Link to a public repository whose dependencies you keep up to date with Renovate or Dependabot.',
      'Link to a public pull request of yours merged in a Node.js project.',
    ],
    acceptance: [
      'Two sample repositories that extend the preset receive one grouped pull request a week and a security update the day it is published.',
      'The documentation is available in English and French.',
      'The work is delivered as a pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Configuration Renovate commune pour nos dépôts Node.js',
    summary:
      'Écrire une configuration Renovate commune qui tient à jour les dépendances de nos dépôts Node.js, avec des mises à jour regroupées chaque semaine et les mises à jour de sécurité tout de suite.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les équipes d’EDSC tiennent une trentaine de dépôts Node.js publics. Chacune met à jour ses dépendances à sa façon, certaines jamais, et les mises à jour de sécurité attendent des semaines.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un préréglage Renovate commun, dans son propre dépôt, que nos dépôts étendent.',
            'Les mises à jour mineures et correctives regroupées dans une seule demande de tirage par semaine, et les mises à jour de sécurité ouvertes tout de suite.',
            'De la documentation en français et en anglais qui explique comment une équipe l’active.',
          ],
        ],
      },
    ],
    skills: ['Renovate', 'Node.js', 'GitHub'],
    mandatory: [
      'Lien vers un dépôt public dont vous tenez les dépendances à jour avec Renovate ou Dependabot.',
      'Lien vers une de vos demandes de tirage publiques fusionnée dans un projet Node.js.',
    ],
    acceptance: [
      'Deux dépôts d’exemple qui étendent le préréglage reçoivent une demande de tirage regroupée par semaine et une mise à jour de sécurité le jour de sa publication.',
      'La documentation est offerte en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request), sous licence MIT.',
    ],
  },
};
