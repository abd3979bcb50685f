import type { DemoOpportunity } from '../types.ts';

export const openResourceValidation: DemoOpportunity = {
  department: 'TBS',
  // Awaits the evaluation, draw and award actions of the next issues, which take it on to
  // `completed`; until then it stops at `closed`.
  reaches: 'no_qualified_applicant',
  timing: { opensInDays: -130, closesInDays: -110, deliveryWeeks: 4 },
  repositoryUrl: 'https://github.com/canada-ca/ore-ero',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 420_000,
  costCentre: 'T20150',
  paymentMethod: 'paypal_payout',
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'I have used GitHub for my personal projects for two years.',
        'I have read about JSON Schema and would like to learn it on this project.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: false,
    },
    {
      supplier: 'genevieve@supplier.example.com',
      answers: [
        'J’ai surtout travaillé dans des dépôts privés; je n’ai pas encore de demande de tirage publique.',
        'Je valide des données avec des scripts Python, sans JSON Schema.',
      ],
      link: 'https://github.com/genevieve-paquette',
      submitted: true,
      passes: false,
    },
  ],
  en: {
    title: 'Validate submissions to the Open Resource Exchange',
    summary:
      'Check every YAML file submitted to the Open Resource Exchange against a schema in continuous integration, with error messages in English and French.',
    description: [
      {
        heading: 'Background',
        body: [
          'The Open Resource Exchange lists the open source code, open standards and open source software that Government of Canada organizations publish or use. Departments add or update entries by submitting YAML files to the GitHub repository of the site.',
          'Many submissions contain mistakes, such as a missing French description, a licence written in free text or a date in the wrong format. Reviewers find them by reading each file, which delays publication.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A JSON Schema for each type of entry (code, software, standard), based on the current data.',
            'A continuous integration check that validates the files changed in a pull request and comments with the errors found, in English and French.',
            'Licence values checked against the SPDX licence list.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'The site is built with Jekyll. The check must not make the existing build more than one minute longer.',
        ],
      },
    ],
    skills: ['JSON Schema', 'YAML', 'GitHub Actions', 'JavaScript'],
    mandatory: [
      'Link to at least one public pull request that was merged in a project that uses GitHub Actions.',
      'Link to public code in which you wrote or used a JSON Schema to validate data.',
    ],
    acceptance: [
      'Every file now in the repository passes validation, or the pull request fixes it.',
      'A pull request with a known error receives a comment, in English and French, that names the file, the field and the problem.',
      'The validation adds less than one minute to the build.',
      'The work is delivered as a merged pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Valider les soumissions à l’Échange de ressources ouvertes',
    summary:
      'Vérifier, dans l’intégration continue, chaque fichier YAML soumis à l’Échange de ressources ouvertes au moyen d’un schéma, avec des messages d’erreur en français et en anglais.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'L’Échange de ressources ouvertes répertorie le code source ouvert, les normes ouvertes et les logiciels libres que les organisations du gouvernement du Canada publient ou utilisent. Les ministères ajoutent ou mettent à jour des fiches en soumettant des fichiers YAML au dépôt GitHub du site.',
          'Beaucoup de soumissions contiennent des erreurs, comme une description en français manquante, une licence inscrite en texte libre ou une date dans le mauvais format. Les réviseurs les repèrent en lisant chaque fichier, ce qui retarde la publication.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un schéma JSON pour chaque type de fiche (code, logiciel, norme), établi à partir des données actuelles.',
            'Une vérification d’intégration continue qui valide les fichiers modifiés dans une demande de tirage (pull request) et publie un commentaire énumérant les erreurs trouvées, en français et en anglais.',
            'La vérification des licences au moyen de la liste des licences SPDX.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Le site est construit avec Jekyll. La vérification ne doit pas allonger la compilation actuelle de plus d’une minute.',
        ],
      },
    ],
    skills: ['Schéma JSON', 'YAML', 'GitHub Actions', 'JavaScript'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique qui a été fusionnée dans un projet qui utilise GitHub Actions.',
      'Lien vers du code public dans lequel vous avez écrit ou utilisé un schéma JSON pour valider des données.',
    ],
    acceptance: [
      'Chaque fichier qui se trouve actuellement dans le dépôt réussit la validation, ou la demande de tirage le corrige.',
      'Une demande de tirage comportant une erreur connue reçoit un commentaire, en français et en anglais, qui précise le fichier, le champ et le problème.',
      'La validation allonge la compilation de moins d’une minute.',
      'Les travaux sont livrés dans une demande de tirage fusionnée, sous licence MIT.',
    ],
  },
};
