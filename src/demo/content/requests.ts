import type { DemoOpportunity } from './types.ts';

/**
 * ESDC requests still on their way to publication, one in each queue before translation (the
 * screening, section 32 and translation queues), so every staff screen has work. Each sits on its
 * own cost centre: together they would pass $10,000 (contract splitting). Only the client's
 * language is used: the other comes with translation, after section 32.
 */
const common = {
  department: 'ESDC',
  licence: 'MIT',
  paymentMethod: 'paypal_payout',
} as const;

export const searchShortcuts: DemoOpportunity = {
  ...common,
  reaches: 'submitted',
  timing: { startedDaysAgo: 6 },
  sourceLanguage: 'en',
  repositoryUrl: 'https://github.com/esdc-demo/canada-search-shortcuts',
  priceCents: 420_000,
  costCentre: '102345',
  en: {
    title: 'Keyboard shortcuts for the Canada.ca search page',
    summary: 'Let keyboard users jump to the results and filters with documented shortcuts.',
    description: [
      {
        heading: 'Background',
        body: ['The search page has 40 tab stops before the first result.'],
      },
      { heading: 'What we need', body: ['Shortcuts, a help dialog and tests.'] },
    ],
    skills: ['JavaScript', 'Accessibility'],
    mandatory: ['A public pull request adding keyboard support to a web application'],
    acceptance: [
      'Every shortcut works in Chrome, Firefox and Safari, and axe reports no new violation.',
    ],
  },
  fr: {
    title: 'Raccourcis clavier pour la page de recherche de Canada.ca',
    summary:
      'Permettre aux utilisateurs du clavier d’atteindre les résultats et les filtres par des raccourcis documentés.',
    description: [
      {
        heading: 'Contexte',
        body: ['La page de recherche compte 40 arrêts de tabulation avant le premier résultat.'],
      },
      { heading: 'Ce qu’il nous faut', body: ['Des raccourcis, une boîte d’aide et des tests.'] },
    ],
    skills: ['JavaScript', 'Accessibilité'],
    mandatory: [
      'Une demande de tirage publique ajoutant la prise en charge du clavier à une application Web',
    ],
    acceptance: [
      'Chaque raccourci fonctionne dans Chrome, Firefox et Safari, et axe ne signale aucune nouvelle non-conformité.',
    ],
  },
};

export const grantsDashboardExport: DemoOpportunity = {
  ...common,
  reaches: 'screened',
  timing: { startedDaysAgo: 5 },
  sourceLanguage: 'fr',
  repositoryUrl: 'https://github.com/esdc-demo/grants-dashboard',
  priceCents: 310_000,
  costCentre: '102346',
  en: {
    title: 'CSV export for the grants dashboard',
    summary: 'Add a CSV download of the filtered table to the open-source grants dashboard.',
    description: [
      { heading: 'Background', body: ['Analysts copy the table by hand.'] },
      { heading: 'What we need', body: ['A download button that respects the filters.'] },
    ],
    skills: ['Python', 'Django'],
    mandatory: ['Public Python code that writes CSV or spreadsheet files'],
    acceptance: [
      'The exported file opens in Excel with accents intact and matches the filtered table.',
    ],
  },
  fr: {
    title: 'Exportation CSV pour le tableau de bord des subventions',
    summary:
      'Ajouter le téléchargement CSV du tableau filtré au tableau de bord à code source ouvert des subventions.',
    description: [
      { heading: 'Contexte', body: ['Les analystes copient le tableau à la main.'] },
      {
        heading: 'Ce qu’il nous faut',
        body: ['Un bouton de téléchargement qui respecte les filtres.'],
      },
    ],
    skills: ['Python', 'Django'],
    mandatory: ['Du code Python public qui écrit des fichiers CSV ou des feuilles de calcul'],
    acceptance: [
      'Le fichier exporté s’ouvre dans Excel sans perte d’accents et correspond au tableau filtré.',
    ],
  },
};

export const plainLanguageChecker: DemoOpportunity = {
  ...common,
  reaches: 'funds_approved',
  timing: { startedDaysAgo: 4 },
  sourceLanguage: 'en',
  repositoryUrl: 'https://github.com/esdc-demo/plain-language-check',
  priceCents: 650_000,
  costCentre: '107810',
  en: {
    title: 'Plain-language checker for the content style guide',
    summary: 'A command-line tool that flags long sentences and jargon in Markdown pages.',
    description: [
      { heading: 'Background', body: ['Editors check readability by hand.'] },
      {
        heading: 'What we need',
        body: ['A checker that runs in our pipeline, in English and French.'],
      },
    ],
    skills: ['Node.js', 'Natural language'],
    mandatory: ['A published command-line tool or library'],
    acceptance: ['The tool reports the 12 known problems in the sample pages and no others.'],
  },
  fr: {
    title: 'Vérificateur de langage clair pour le guide de rédaction',
    summary:
      'Un outil en ligne de commande qui signale les phrases longues et le jargon dans les pages Markdown.',
    description: [
      { heading: 'Contexte', body: ['Les réviseurs vérifient la lisibilité à la main.'] },
      {
        heading: 'Ce qu’il nous faut',
        body: ['Un vérificateur qui s’exécute dans notre pipeline, en anglais et en français.'],
      },
    ],
    skills: ['Node.js', 'Langage naturel'],
    mandatory: ['Un outil en ligne de commande ou une bibliothèque publiés'],
    acceptance: ['L’outil signale les 12 problèmes connus des pages d’exemple, et aucun autre.'],
  },
};
