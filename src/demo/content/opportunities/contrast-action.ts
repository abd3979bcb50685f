import type { DemoOpportunity } from '../types.ts';

export const contrastAction: DemoOpportunity = {
  department: 'TBS',
  reaches: 'published',
  timing: { opensInDays: -6, closesInDays: 3, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/canada-ca/wcag-contrast-action',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 450_000,
  costCentre: 'T20110',
  paymentMethod: 'paypal_payout',
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'My GitHub Action that runs axe on each pull request is used in four public repositories.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: false,
    },
  ],
  en: {
    title: 'GitHub Action that checks colour contrast against WCAG 2.1',
    summary:
      'Build a reusable GitHub Action that flags a pull request when text and background colours in its CSS do not meet the WCAG 2.1 level AA contrast ratios.',
    description: [
      {
        heading: 'Background',
        body: [
          'Departments that publish websites must meet the Standard on Web Accessibility, which relies on WCAG 2.1 level AA. Colour contrast problems are among the most common issues found in audits, and they are easy to introduce when a team changes a theme or adds a component.',
          'The Treasury Board of Canada Secretariat maintains starter repositories that departments copy to build their sites. We want those repositories to catch contrast problems before code is merged, not months later in an audit.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          'A GitHub Action, published in the repository below, that:',
          [
            'reads the CSS custom properties (design tokens) and stylesheets listed in its configuration;',
            'checks each declared text and background colour pair against the 4.5:1 ratio for normal text and 3:1 for large text and interface components;',
            'writes a clear summary in the pull request, listing each failing pair with its ratio and the file and line where it is declared;',
            'can run in "warn" mode (report only) or "fail" mode (the check fails).',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'The Action must run on the Node.js runtime that GitHub provides for JavaScript actions and must not depend on any paid product. Include a sample workflow in the README. The repository is new: you will be its first contributor.',
        ],
      },
    ],
    skills: ['GitHub Actions', 'JavaScript or TypeScript', 'CSS', 'WCAG 2.1'],
    mandatory: [
      'Link to a GitHub Action, or a continuous integration script, that you wrote and that is used in at least one public repository.',
      'Link to at least one public pull request in JavaScript or TypeScript that was merged.',
    ],
    acceptance: [
      'The Action is delivered as a merged pull request in the repository, under the MIT licence.',
      "Unit tests cover the contrast calculation and the CSS parsing, and pass in the repository's workflow.",
      'The README explains, in English and French, how to add the Action to a workflow and how to configure it.',
      'Run on the sample stylesheet in the repository, the Action reports the 3 known failing colour pairs and no others.',
    ],
  },
  fr: {
    title: 'Action GitHub qui vérifie le contraste des couleurs selon les WCAG 2.1',
    summary:
      'Créer une action GitHub réutilisable qui signale une demande de tirage (pull request) lorsque les couleurs du texte et de l’arrière-plan de ses fichiers CSS ne respectent pas les rapports de contraste du niveau AA des WCAG 2.1.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les ministères qui publient des sites Web doivent respecter la Norme sur l’accessibilité des sites Web, qui s’appuie sur le niveau AA des WCAG 2.1. Les problèmes de contraste des couleurs figurent parmi les lacunes les plus fréquentes relevées lors des audits, et il suffit souvent de modifier un thème ou d’ajouter un composant pour en créer.',
          'Le Secrétariat du Conseil du Trésor du Canada tient à jour des dépôts de départ que les ministères copient pour bâtir leurs sites. Nous voulons que ces dépôts détectent les problèmes de contraste avant la fusion du code, et non des mois plus tard lors d’un audit.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          'Une action GitHub, publiée dans le dépôt indiqué ci-dessous, qui :',
          [
            'lit les propriétés personnalisées CSS (jetons de conception) et les feuilles de style indiquées dans sa configuration;',
            'vérifie chaque paire de couleurs de texte et d’arrière-plan déclarée au regard du rapport de contraste de 4,5:1 pour le texte normal et de 3:1 pour le grand texte et les composants d’interface;',
            'publie dans la demande de tirage un résumé clair de chaque paire non conforme, avec son rapport de contraste ainsi que le fichier et la ligne où elle est déclarée;',
            'peut fonctionner en mode « avertissement » (rapport seulement) ou en mode « échec » (la vérification échoue).',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'L’action doit fonctionner avec l’environnement Node.js que GitHub fournit pour les actions JavaScript et ne dépendre d’aucun produit payant. Ajoutez un exemple de flux de travail au fichier README. Le dépôt est nouveau : vous en serez le premier contributeur ou la première contributrice.',
        ],
      },
    ],
    skills: ['GitHub Actions', 'JavaScript ou TypeScript', 'CSS', 'WCAG 2.1'],
    mandatory: [
      'Lien vers une action GitHub, ou un script d’intégration continue, que vous avez écrit et qui est utilisé dans au moins un dépôt public.',
      'Lien vers au moins une demande de tirage publique en JavaScript ou en TypeScript qui a été fusionnée.',
    ],
    acceptance: [
      'L’action est livrée dans une demande de tirage fusionnée dans le dépôt, sous licence MIT.',
      'Des tests unitaires couvrent le calcul du contraste et l’analyse des fichiers CSS, et ils réussissent dans le flux de travail du dépôt.',
      'Le fichier README explique, en français et en anglais, comment ajouter l’action à un flux de travail et comment la configurer.',
      'Exécutée sur la feuille de style d’exemple du dépôt, l’action signale les trois paires de couleurs non conformes connues, et aucune autre.',
    ],
  },
};
