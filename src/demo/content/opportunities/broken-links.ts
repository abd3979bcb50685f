import type { DemoOpportunity } from '../types.ts';

export const brokenLinks: DemoOpportunity = {
  department: 'ESDC',
  // Certified under section 34: the invoice waits for finance's payment by acquisition card.
  reaches: 'awarded',
  timing: { opensInDays: -45, closesInDays: -24, deliveryWeeks: 3 },
  repositoryUrl: 'https://github.com/esdc-edsc/content-publishing',
  sourceLanguage: 'en',
  licence: 'MIT',
  priceCents: 240_000,
  costCentre: '103490',
  paymentMethod: 'card_direct',
  contract: {
    reaches: 'certified',
    deliversAfterDays: 10,
    notes:
      'The link check runs on every pull request and every night; the report lists each broken link with the page and line where it is.',
  },
  applications: [
    {
      supplier: 'ada@supplier.example.com',
      answers: [
        'I maintain the link-checking workflow of a public documentation site with 2,000 pages; it runs on every pull request.',
      ],
      link: 'https://github.com/ada-nakamura',
      submitted: true,
      passes: true,
    },
  ],
  en: {
    title: 'Broken link report in the content publishing workflow',
    summary:
      'Check every link in the pages of our content repository before they are published, and report the broken ones in the pull request that introduces them.',
    description: [
      {
        heading: 'Background',
        body: [
          'ESDC writes the content of several program pages in Markdown, in a public repository, and publishes it with a GitHub Actions workflow. Broken links reach the public every week, and we find out from complaints.',
        ],
      },
      {
        heading: 'What we need',
        body: [
          [
            'A step in the publishing workflow that checks every internal and external link of the changed pages in each pull request.',
            'A nightly check of the whole site, whose report opens an issue.',
            'A list of addresses to skip, kept in the repository.',
          ],
        ],
      },
    ],
    skills: ['GitHub Actions', 'Markdown', 'Continuous integration'],
    mandatory: [
      'Link to a GitHub Actions workflow you wrote that is used in at least one public repository.',
      'Link to a public report or issue produced by a check you set up.',
    ],
    acceptance: [
      'A pull request that adds a broken link fails the check, with the page and line of the link in the report.',
      'The nightly check opens one issue listing the broken links of the whole site, and none when there are none.',
      'The work is delivered as a pull request under the MIT licence.',
    ],
  },
  fr: {
    title: 'Rapport des liens brisés dans le flux de publication du contenu',
    summary:
      'Vérifier chaque lien des pages de notre dépôt de contenu avant leur publication, et signaler les liens brisés dans la demande de tirage qui les ajoute.',
    description: [
      {
        heading: 'Contexte',
        body: [
          'EDSC rédige le contenu de plusieurs pages de programmes en Markdown, dans un dépôt public, et le publie au moyen d’un flux de travail GitHub Actions. Des liens brisés sont publiés chaque semaine, et nous l’apprenons par des plaintes.',
        ],
      },
      {
        heading: 'Ce dont nous avons besoin',
        body: [
          [
            'Une étape du flux de publication qui vérifie chaque lien interne et externe des pages modifiées dans chaque demande de tirage.',
            'Une vérification de tout le site chaque nuit, dont le rapport ouvre un billet.',
            'Une liste d’adresses à ignorer, conservée dans le dépôt.',
          ],
        ],
      },
    ],
    skills: ['GitHub Actions', 'Markdown', 'Intégration continue'],
    mandatory: [
      'Lien vers un flux de travail GitHub Actions que vous avez écrit et qui est utilisé dans au moins un dépôt public.',
      'Lien vers un rapport ou un billet public produit par une vérification que vous avez mise en place.',
    ],
    acceptance: [
      'Une demande de tirage qui ajoute un lien brisé échoue à la vérification, et le rapport indique la page et la ligne du lien.',
      'La vérification de nuit ouvre un seul billet qui énumère les liens brisés de tout le site, et aucun billet lorsqu’il n’y en a pas.',
      'Les travaux sont livrés dans une demande de tirage (pull request), sous licence MIT.',
    ],
  },
};
