import type { DemoOpportunity } from '../types.ts';

export const postalCodeValidation: DemoOpportunity = {
  department: 'ESDC',
  reaches: 'drawn',
  timing: { opensInDays: -23, closesInDays: -2, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/esdc-edsc/canada-address',
  sourceLanguage: 'fr',
  licence: 'MIT',
  priceCents: 180_000,
  costCentre: '103440',
  paymentMethod: 'card_direct',
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'My pull request to the python-stdnum project added checks for Canadian business numbers; it was merged in version 1.19.',
        'The canada-postcodes repository on my GitHub has 40 pytest tests, parametrised over valid and invalid codes.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'etienne@supplier.example.com',
      answers: [
        'Ma demande de tirage pour la bibliothèque phonenumbers corrige la mise en forme des numéros du Québec; elle a été fusionnée en 2025.',
        'Mon dépôt adresses-qc contient une suite de tests pytest exécutée à chaque demande de tirage.',
      ],
      link: 'https://github.com/etienne-cote',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'noor@supplier.example.com',
      answers: ['I have written a lot of Python scripts for my own use and I am learning pytest.'],
      link: 'https://github.com/noor-rahman',
      submitted: true,
      passes: false,
    },
  ],
  en: {
    title: 'Fix postal code validation in our Python address package',
    summary:
      'Fix a bug that rejects valid Canadian postal codes typed in lowercase or without a space, and accepts codes with letters that Canada Post never uses.',
    description: [
      {
        heading: 'Background',
        body: [
          'Several ESDC applications use our open-source Python package to clean and validate Canadian mailing addresses before they are saved. People have told us that it rejects valid postal codes such as "k1a 0j9" or "K1A0J9", so they have to type them again.',
          'At the same time, the package accepts codes that cannot exist, because it does not check the letters that Canada Post excludes (D, F, I, O, Q and U anywhere, and W and Z as the first letter).',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'Accept postal codes in any case, with or without a space or a hyphen, and return them in the standard form "A1A 1A1".',
            'Reject codes that use an excluded letter, with a clear error message.',
            'When a province or territory is given, check that the first letter matches it (for example, a code that starts with "T" must be in Alberta).',
            "Add tests for each rule, including the edge cases already listed in the repository's issues.",
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          "The fix must not change the package's public functions or their signatures, because other applications depend on them.",
        ],
      },
    ],
    skills: ['Python', 'Regular expressions', 'pytest'],
    mandatory: [
      'Link to at least one public pull request in Python that was merged.',
      'Link to public code in which you wrote unit tests with pytest.',
    ],
    acceptance: [
      'All tests pass on Python 3.10 to 3.13, and test coverage of the validation module is at least 95%.',
      'The public functions and their signatures are unchanged.',
      'The changelog describes the fix, and the work is delivered as a merged pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Corriger la validation des codes postaux dans notre module Python d’adresses',
    summary:
      'Corriger un bogue qui fait rejeter des codes postaux canadiens valides écrits en minuscules ou sans espace, et accepter des codes contenant des lettres que Postes Canada n’utilise jamais.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Plusieurs applications d’EDSC utilisent notre module Python à code source ouvert pour nettoyer et valider les adresses postales canadiennes avant de les enregistrer. Des utilisateurs nous ont signalé qu’il rejette des codes postaux valides comme « k1a 0j9 » ou « K1A0J9 », ce qui les oblige à les saisir de nouveau.',
          'Par ailleurs, le module accepte des codes qui ne peuvent pas exister, car il ne vérifie pas les lettres que Postes Canada exclut (D, F, I, O, Q et U à toutes les positions, ainsi que W et Z en première position).',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Accepter les codes postaux en majuscules ou en minuscules, avec ou sans espace ou trait d’union, et les retourner sous la forme normalisée « A1A 1A1 ».',
            'Rejeter les codes qui contiennent une lettre exclue, avec un message d’erreur clair.',
            'Lorsqu’une province ou un territoire est fourni, vérifier que la première lettre y correspond (p. ex. un code qui commence par « T » doit se trouver en Alberta).',
            'Ajouter des tests pour chaque règle, y compris les cas limites déjà signalés dans le dépôt.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'La correction ne doit pas modifier les fonctions publiques du module ni leur signature, car d’autres applications en dépendent.',
        ],
      },
    ],
    skills: ['Python', 'Expressions régulières', 'pytest'],
    mandatory: [
      'Lien vers au moins une demande de tirage publique en Python qui a été fusionnée.',
      'Lien vers du code public dans lequel vous avez écrit des tests unitaires avec pytest.',
    ],
    acceptance: [
      'Tous les tests réussissent avec Python 3.10 à 3.13, et la couverture de tests du module de validation est d’au moins 95 %.',
      'Les fonctions publiques et leur signature ne sont pas modifiées.',
      'Le journal des modifications décrit la correction, et les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT.',
    ],
  },
};
