import type { DemoOpportunity } from '../types.ts';

export const disclosureCsvExport: DemoOpportunity = {
  department: 'TBS',
  reaches: 'published',
  timing: { opensInDays: -4, closesInDays: 14, deliveryWeeks: 5 },
  repositoryUrl: 'https://github.com/canada-ca/proactive-disclosure-search',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 580_000,
  costCentre: 'T20120',
  paymentMethod: 'paypal_payout',
  en: {
    title: 'CSV export for the proactive disclosure search',
    summary:
      'Let people download the results of a search of proactive disclosure data, such as contracts and travel expenses, as a CSV file that opens correctly in English and French spreadsheets.',
    description: [
      {
        heading: 'Background',
        body: [
          'The Open Government Portal lets anyone search what departments disclose proactively: contracts over $10,000, travel and hospitality expenses, grants and contributions, and more. People can filter the results, but they can only copy them from the screen. Journalists, researchers and public servants have often asked for a way to download what they found.',
          'The search application is a Django project, released under the MIT licence, that reads from a Solr index.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A "Download results (CSV)" button on the results page that keeps the current filters and sort order.',
            'Column headings in the language of the page, using the field labels the application already has.',
            'A file that opens correctly in Excel and LibreOffice in both languages: UTF-8 with a byte order mark, and amounts without thousands separators.',
            "Streaming of the file, so that an export of up to 100,000 rows does not exhaust the server's memory, and a clear message when a result is larger than that.",
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'A Docker Compose file in the repository starts the application with a sample of public data. You do not need access to the production index.',
        ],
      },
    ],
    skills: ['Python', 'Django', 'Apache Solr', 'CSV and character encodings'],
    mandatory: [
      'Link to at least one public pull request in Python that was merged.',
      'Link to public code in which you built a feature with Django (a view, a form or a management command).',
      'A short statement (150 words or less) explaining how you would export a large result set without loading it all in memory.',
    ],
    acceptance: [
      'The export keeps the filters, sort order and language of the page, as shown by automated tests.',
      "An export of 100,000 rows from the sample data completes without the application's memory use growing by more than 50 MB.",
      'The button and the messages meet WCAG 2.1 level AA and are available in English and French.',
      'The work is delivered as a merged pull request under the MIT licence, with the changes described in the changelog.',
    ],
  },
  fr: {
    title: 'Exportation CSV pour la recherche de divulgation proactive',
    summary:
      'Permettre de télécharger les résultats d’une recherche dans les données de divulgation proactive, comme les contrats et les frais de voyage, dans un fichier CSV qui s’ouvre correctement dans les tableurs en français et en anglais.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Le Portail du gouvernement ouvert permet à quiconque de consulter ce que les ministères divulguent de façon proactive : contrats de plus de 10 000 $, frais de voyage et d’accueil, subventions et contributions, et plus encore. Il est possible de filtrer les résultats, mais on ne peut que les copier à partir de l’écran. Des journalistes, des chercheurs et des fonctionnaires nous demandent souvent un moyen de télécharger ce qu’ils ont trouvé.',
          'L’application de recherche est un projet Django publié sous licence MIT, qui interroge un index Solr.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Un bouton « Télécharger les résultats (CSV) » dans la page des résultats, qui conserve les filtres et l’ordre de tri en vigueur.',
            'Des en-têtes de colonne dans la langue de la page, à partir des libellés de champ que l’application contient déjà.',
            'Un fichier qui s’ouvre correctement dans Excel et LibreOffice, dans les deux langues : encodage UTF-8 avec indicateur d’ordre des octets (BOM) et montants écrits sans séparateur de milliers.',
            'La transmission du fichier en continu, pour qu’une exportation d’au plus 100 000 lignes n’épuise pas la mémoire du serveur, et un message clair lorsque le résultat dépasse cette limite.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Un fichier Docker Compose fourni dans le dépôt démarre l’application avec un échantillon de données publiques. Vous n’avez pas besoin d’accéder à l’index de production.',
        ],
      },
    ],
    skills: ['Python', 'Django', 'Apache Solr', 'CSV et encodage des caractères'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique en Python qui a été fusionnée.',
      'Lien vers du code public dans lequel vous avez réalisé une fonctionnalité avec Django (vue, formulaire ou commande de gestion).',
      'Un court texte (150 mots ou moins) expliquant comment vous exporteriez un grand ensemble de résultats sans le charger entièrement en mémoire.',
    ],
    acceptance: [
      'L’exportation conserve les filtres, l’ordre de tri et la langue de la page, comme le démontrent des tests automatisés.',
      'Une exportation de 100 000 lignes à partir des données d’échantillon se termine sans que la mémoire utilisée par l’application augmente de plus de 50 Mo.',
      'Le bouton et les messages respectent le niveau AA des WCAG 2.1 et sont offerts en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT, et les changements sont décrits dans le journal des modifications.',
    ],
  },
};
