import type { DemoOpportunity } from '../types.ts';

export const frenchErrorMessages: DemoOpportunity = {
  department: 'ESDC',
  reaches: 'published',
  timing: { opensInDays: -8, closesInDays: 10, deliveryWeeks: 5 },
  repositoryUrl: 'https://github.com/esdc-edsc/form-validation',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 280_000,
  costCentre: '103420',
  paymentMethod: 'card_direct',
  addendum: {
    daysAfterOpening: 6,
    extensionDays: 3,
    reason: {
      en: "The repository's contribution guide was missing when the opportunity was published; it has now been added.",
      fr: 'Le guide de contribution du dépôt manquait au moment de la publication de l’occasion; il y a maintenant été ajouté.',
    },
  },
  applications: [
    {
      supplier: 'genevieve@supplier.example.com',
      answers: [
        'Ma demande de tirage au projet zod-i18n, en TypeScript, ajoute les messages en français canadien; elle a été fusionnée.',
        'Je maintiens les fichiers de traduction française de l’application libre de mon club de vélo.',
      ],
      link: 'https://github.com/genevieve-paquette',
      submitted: true,
    },
    {
      supplier: 'noor@supplier.example.com',
      answers: ['My TypeScript pull request to the yup project was merged in 2025.'],
      link: 'https://github.com/noor-rahman',
      submitted: false,
    },
  ],
  en: {
    title: 'Canadian French error messages for our form validation library',
    summary:
      'Add a translation loader so our open-source form validation library shows its error messages in Canadian French when the page is in French.',
    description: [
      {
        heading: 'Background',
        body: [
          'Several ESDC online services use a small open-source library to check form fields in the browser before a form is sent. Its error messages are hard-coded in English.',
          'To work around this, teams copy the library and translate the messages by hand. As a result, the French messages differ from one service to the next, and some use terms the Government of Canada does not use, such as "adresse e-mail".',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A translation loader that picks the message catalogue from the `lang` attribute of the page (`en` or `fr`), with a setting to override it.',
            'A complete Canadian French catalogue for the 24 existing messages, in Government of Canada wording (for example, "Entrez une adresse courriel valide.").',
            'Support for placeholders in messages, such as the minimum or maximum length.',
            'A way for a service to add or replace messages without copying the library.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'A translator on our team will review the French catalogue. You do not need to be a translator, but you must be comfortable working with a French message catalogue. The library is written in TypeScript and has no runtime dependencies; please keep it that way.',
        ],
      },
    ],
    skills: ['TypeScript', 'Internationalization (i18n)', 'HTML forms', 'French'],
    mandatory: [
      'Link to at least one public pull request in TypeScript that was merged.',
      'Link to a public project where you added or maintained support for more than one language (for example, a message catalogue or translation files).',
    ],
    acceptance: [
      'All existing tests pass, and new tests cover language detection, the override setting and placeholders.',
      'Every message in the English catalogue has a French equivalent; a test fails if one is missing.',
      'The README explains, in English and French, how to choose a language and how to add or replace messages.',
      'The work is delivered as a pull request that our team merges into the main branch.',
    ],
  },
  fr: {
    title:
      'Messages d’erreur en français canadien pour notre bibliothèque de validation de formulaires',
    summary:
      'Ajouter un chargeur de traductions afin que notre bibliothèque de validation de formulaires à code source ouvert affiche ses messages d’erreur en français canadien lorsque la page est en français.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Plusieurs services en ligne d’EDSC utilisent une petite bibliothèque à code source ouvert pour vérifier les champs des formulaires dans le navigateur avant leur envoi. Ses messages d’erreur sont codés en dur en anglais.',
          'Pour contourner le problème, les équipes copient la bibliothèque et traduisent les messages à la main. Résultat : les messages en français varient d’un service à l’autre, et certains emploient des termes qui n’ont pas cours au gouvernement du Canada, comme « adresse e-mail ».',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un chargeur de traductions qui choisit le catalogue de messages selon l’attribut `lang` de la page (`en` ou `fr`), avec un paramètre permettant d’imposer une langue.',
            'Un catalogue complet en français canadien pour les 24 messages existants, conforme à l’usage du gouvernement du Canada (p. ex. « Entrez une adresse courriel valide. »).',
            'La prise en charge de variables dans les messages, comme la longueur minimale ou maximale.',
            'Un moyen pour chaque service d’ajouter ou de remplacer des messages sans copier la bibliothèque.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Un traducteur de notre équipe révisera le catalogue en français. Vous n’avez pas à être traducteur ou traductrice, mais vous devez être à l’aise avec un catalogue de messages en français. La bibliothèque est écrite en TypeScript et n’a aucune dépendance à l’exécution; elle doit le rester.',
        ],
      },
    ],
    skills: ['TypeScript', 'Internationalisation (i18n)', 'Formulaires HTML', 'Français'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique en TypeScript qui a été fusionnée.',
      'Lien vers un projet public dans lequel vous avez ajouté ou tenu à jour la prise en charge de plus d’une langue (p. ex. un catalogue de messages ou des fichiers de traduction).',
    ],
    acceptance: [
      'Tous les tests existants réussissent, et de nouveaux tests couvrent la détection de la langue, le paramètre qui impose une langue et les variables.',
      'Chaque message du catalogue anglais a un équivalent en français; un test échoue s’il en manque un.',
      'Le fichier README explique, en français et en anglais, comment choisir la langue et comment ajouter ou remplacer des messages.',
      'Les travaux sont livrés dans une demande de tirage (pull request) que notre équipe fusionne dans la branche principale.',
    ],
  },
};
