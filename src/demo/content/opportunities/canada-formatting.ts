import type { DemoOpportunity } from '../types.ts';

export const canadaFormatting: DemoOpportunity = {
  department: 'TBS',
  reaches: 'evaluating',
  timing: { opensInDays: -26, closesInDays: -5, deliveryWeeks: 4 },
  repositoryUrl: 'https://github.com/canada-ca/gc-format',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 240_000,
  costCentre: 'T20140',
  paymentMethod: 'paypal_payout',
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'I maintain the npm package intl-money-format (about 3,000 downloads a week), written in TypeScript.',
        'English writes $1,234.50 and French 1 234,50 $, with a no-break space; I would test both with Intl.NumberFormat and snapshot tests for each locale.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'genevieve@supplier.example.com',
      answers: [
        'Ma demande de tirage au projet date-fns ajoute le format de date court du français canadien; elle a été fusionnée.',
        'En français, on écrit 14 h 30 et non 2:30 PM; je vérifierais chaque format par des tests unitaires dans les deux langues.',
      ],
      link: 'https://github.com/genevieve-paquette',
      submitted: true,
      passes: true,
    },
    {
      supplier: 'noor@supplier.example.com',
      answers: [
        'My TypeScript pull request to the luxon documentation fixed the examples of relative dates and was merged.',
        'French puts the day before the month (2 décembre 2026) and uses no capital letter; I would test each format in both languages.',
      ],
      link: 'https://github.com/noor-rahman',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Canada.ca date, time and money formatting package',
    summary:
      'Publish a small npm package that formats dates, times and amounts of money the way Canada.ca writes them in English and French.',
    description: [
      {
        heading: 'Background',
        body: [
          'Government of Canada web applications must show dates, times and money consistently in both official languages. The `Intl` formats built into JavaScript come close, but not all the way: in French they write "1 juillet" instead of "1er juillet" and "14 h 00" instead of "14 h", and they use time zone abbreviations such as "HAE" that Canada.ca does not use. Each team fixes these details in its own way.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          'An npm package, written in TypeScript, that provides:',
          [
            'long dates, with or without the day of the week, in English and French, including "1er" for the first day of the month;',
            'times and deadlines in the Canada.ca style ("2:00 p.m. Eastern time" and "14 h (heure de l’Est)"), for a time zone given as a parameter;',
            'amounts of money in cents, formatted as "$6,500.00" and "6 500,00 $" with the correct no-break spaces.',
          ],
        ],
      },
      {
        heading: 'Good to know',
        body: [
          'The package must have no runtime dependencies other than `Intl`, and must work in Node.js and in browsers.',
        ],
      },
    ],
    skills: ['TypeScript', 'npm packages', 'Intl API', 'French typography'],
    mandatory: [
      'Link to an npm package you published or maintain, or to at least one public pull request in TypeScript that was merged.',
      'A short statement (150 words or less) describing one difference between English and French formatting of dates or numbers, and how you would test it.',
    ],
    acceptance: [
      'Tests cover each format in both languages, including the first day of the month, midnight, noon and the switch to and from daylight saving time.',
      'The package builds to ES modules with type declarations, and its README gives an example of each function in English and French.',
      'The work is delivered as a merged pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Paquet de mise en forme des dates, des heures et des montants selon Canada.ca',
    summary:
      'Publier un petit paquet npm qui met en forme les dates, les heures et les montants d’argent comme le fait Canada.ca en français et en anglais.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'Les applications Web du gouvernement du Canada doivent afficher les dates, les heures et les montants de façon uniforme dans les deux langues officielles. Les formats `Intl` intégrés à JavaScript s’en approchent, sans y parvenir tout à fait : en français, ils écrivent « 1 juillet » au lieu de « 1er juillet » et « 14 h 00 » au lieu de « 14 h », et ils utilisent des abréviations de fuseau horaire comme « HAE », que Canada.ca n’emploie pas. Chaque équipe corrige ces détails à sa façon.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          'Un paquet npm, écrit en TypeScript, qui offre :',
          [
            'les dates en toutes lettres, avec ou sans le jour de la semaine, en français et en anglais, y compris « 1er » pour le premier jour du mois;',
            'les heures et les dates limites selon le style de Canada.ca (« 14 h (heure de l’Est) » et « 2:00 p.m. Eastern time »), pour un fuseau horaire donné en paramètre;',
            'les montants d’argent exprimés en cents, mis en forme ainsi : « 6 500,00 $ » et « $6,500.00 », avec les espaces insécables appropriées.',
          ],
        ],
      },
      {
        heading: 'Bon à savoir',
        body: [
          'Le paquet ne doit dépendre d’aucune bibliothèque à l’exécution autre que `Intl` et doit fonctionner dans Node.js comme dans les navigateurs.',
        ],
      },
    ],
    skills: ['TypeScript', 'Paquets npm', 'API Intl', 'Typographie française'],
    mandatory: [
      'Lien vers un paquet npm que vous avez publié ou que vous tenez à jour, ou vers au moins une demande de tirage publique en TypeScript qui a été fusionnée.',
      'Un court texte (150 mots ou moins) décrivant une différence entre la mise en forme des dates ou des nombres en français et en anglais, et la façon dont vous la testeriez.',
    ],
    acceptance: [
      'Des tests couvrent chaque format dans les deux langues, y compris le premier jour du mois, minuit, midi et le passage à l’heure avancée et à l’heure normale.',
      'Le paquet est compilé en modules ES avec déclarations de types, et son fichier README donne un exemple de chaque fonction en français et en anglais.',
      'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT.',
    ],
  },
};
