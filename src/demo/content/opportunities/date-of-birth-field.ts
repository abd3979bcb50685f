import type { DemoOpportunity } from '../types.ts';

export const dateOfBirthField: DemoOpportunity = {
  department: 'ESDC',
  reaches: 'published',
  timing: { opensInDays: -10, closesInDays: 0, deliveryWeeks: 4 },
  repositoryUrl: 'https://github.com/esdc-edsc/benefits-estimator-components',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 320_000,
  costCentre: '103410',
  paymentMethod: 'paypal_payout',
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'My merged pull request to the react-day-picker project gave its input an accessible name and error message (2025).',
        'The accessible-forms repository on my GitHub is written in React with TypeScript.',
        'I go through the form with NVDA and VoiceOver, keyboard only, and check that each field, its hint and each error are read out in order.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
    },
    {
      supplier: 'etienne@supplier.example.com',
      answers: [
        'Ma demande de tirage au projet GOV.UK Frontend corrige l’annonce des erreurs du champ de date.',
      ],
      link: 'https://github.com/etienne-cote',
      submitted: false,
    },
  ],
  en: {
    title: 'Make the date-of-birth field work with screen readers',
    summary:
      'Make the date-of-birth field in our benefits estimator components announce errors and keep keyboard focus, so it meets WCAG 2.1 level AA.',
    description: [
      {
        heading: 'Background',
        body: [
          'The benefits estimators on Canada.ca help people find out which Employment Insurance, Canada Pension Plan and Old Age Security benefits they may receive. They are built with a small library of React components that our team maintains in the open.',
          'An accessibility audit found that the date-of-birth field, which has separate day, month and year boxes, does not work well with screen readers:',
          [
            'error messages appear on screen but are not announced;',
            'the 3 boxes share one label, so screen readers only say "edit text";',
            'when someone enters a date that is not valid, keyboard focus jumps back to the top of the page.',
          ],
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'Give each box (day, month, year) its own accessible name, and group them in a `fieldset` with a `legend`.',
            'Link error messages to the boxes with `aria-describedby`, and have them announced when they appear.',
            'Keep focus on the box that needs correcting, and move it only when the form is submitted.',
            'Add automated tests with Testing Library and axe-core that cover these cases in English and French.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'The components are written in TypeScript and tested with Jest. You will work in a branch of the public repository and open a pull request; a member of our team will review it within 2 business days. You do not need access to any government system.',
        ],
      },
    ],
    skills: ['React', 'TypeScript', 'WCAG 2.1', 'ARIA', 'Screen readers (NVDA, JAWS, VoiceOver)'],
    mandatory: [
      'Link to at least one public pull request, merged in the last 3 years, that fixed an accessibility problem in a web interface.',
      'Link to public code you wrote in React with TypeScript (a repository, a pull request or a commit).',
      'A short statement (150 words or less) describing how you test a form with a screen reader.',
    ],
    acceptance: [
      'All existing and new tests pass, and axe-core reports no violations on the date-of-birth field.',
      'A member of our team can fill in, correct and submit the field with NVDA and with VoiceOver, in English and French.',
      'The component documentation describes the new accessible names and error behaviour.',
      'The work is delivered as a pull request that our team merges, under the MIT licence.',
    ],
  },
  fr: {
    title: 'Rendre le champ de date de naissance accessible aux lecteurs d’écran',
    summary:
      'Faire en sorte que le champ de date de naissance de nos composants d’estimation des prestations annonce les erreurs et conserve le focus clavier, conformément au niveau AA des WCAG 2.1.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les estimateurs de prestations de Canada.ca aident les gens à savoir à quelles prestations de l’assurance-emploi, du Régime de pensions du Canada et de la Sécurité de la vieillesse ils pourraient avoir droit. Ils reposent sur une petite bibliothèque de composants React que notre équipe tient à jour en mode ouvert.',
          'Un audit d’accessibilité a révélé que le champ de date de naissance, composé de trois zones distinctes (jour, mois et année), fonctionne mal avec les lecteurs d’écran :',
          [
            'les messages d’erreur s’affichent à l’écran, mais ne sont pas annoncés;',
            'les trois zones partagent une seule étiquette, si bien que le lecteur d’écran annonce seulement « zone d’édition »;',
            'lorsqu’une personne saisit une date non valide, le focus clavier revient au haut de la page.',
          ],
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Donner à chaque zone (jour, mois, année) son propre nom accessible et les regrouper dans un élément `fieldset` muni d’une `legend`.',
            'Associer les messages d’erreur aux zones au moyen de l’attribut `aria-describedby` et les faire annoncer dès leur affichage.',
            'Garder le focus sur la zone à corriger et ne le déplacer qu’au moment où le formulaire est soumis.',
            'Ajouter des tests automatisés (Testing Library et axe-core) qui couvrent ces cas en français et en anglais.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Les composants sont écrits en TypeScript et testés avec Jest. Vous travaillerez dans une branche du dépôt public et ouvrirez une demande de tirage (pull request); un membre de notre équipe l’examinera dans un délai de deux jours ouvrables. Vous n’avez besoin d’aucun accès aux systèmes du gouvernement.',
        ],
      },
    ],
    skills: ['React', 'TypeScript', 'WCAG 2.1', 'ARIA', 'Lecteurs d’écran (NVDA, JAWS, VoiceOver)'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique, fusionnée au cours des trois dernières années, qui a corrigé un problème d’accessibilité dans une interface Web.',
      'Lien vers du code public que vous avez écrit en React avec TypeScript (dépôt, demande de tirage ou commit).',
      'Un court texte (150 mots ou moins) décrivant comment vous testez un formulaire avec un lecteur d’écran.',
    ],
    acceptance: [
      'Tous les tests existants et nouveaux réussissent, et axe-core ne signale aucune non-conformité dans le champ de date de naissance.',
      'Un membre de notre équipe peut remplir, corriger et soumettre le champ avec NVDA et avec VoiceOver, en français et en anglais.',
      'La documentation du composant décrit les nouveaux noms accessibles et le comportement des messages d’erreur.',
      'Les travaux sont livrés dans une demande de tirage que notre équipe fusionne, sous licence MIT.',
    ],
  },
};
