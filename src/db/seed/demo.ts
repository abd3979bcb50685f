import { DateTime } from 'luxon';
import type { Db } from '../knex.ts';
import type { Clock } from '../../platform/clock.ts';
import { EASTERN, easternDate, easternInstant, formatDeadline } from '../../platform/dates.ts';
import { CAP_CENTS, maxTotalCents } from '../../platform/money.ts';
import type { OpportunityStatus } from '../../opportunities/states.ts';

/**
 * Development demo data: two departments and a dozen opportunities in every public state, with
 * their criteria, an addendum and a lifecycle history, dated relative to the clock so the demo
 * always looks current. One of them recreates the pilot's only real opportunity (2021).
 */

const OPENING_HOUR = 10;
const DEADLINE_HOUR = 14;

const DEPARTMENTS = {
  ESDC: {
    acronym_en: 'ESDC',
    acronym_fr: 'EDSC',
    name_en: 'Employment and Social Development Canada',
    name_fr: 'Emploi et Développement social Canada',
    cost_centres: ['102345', '102346', '107810', '109215'],
    payment_methods: ['card', 'paypal'],
    card_exemption_reference: 'CFO-2021-04 (IT services by acquisition card)',
  },
  TBS: {
    acronym_en: 'TBS',
    acronym_fr: 'SCT',
    name_en: 'Treasury Board of Canada Secretariat',
    name_fr: 'Secrétariat du Conseil du Trésor du Canada',
    cost_centres: ['T20110'],
    payment_methods: ['paypal'],
    card_exemption_reference: null,
  },
} as const;
type DepartmentKey = keyof typeof DEPARTMENTS;

type DemoStatus = Extract<
  OpportunityStatus,
  'published' | 'closed' | 'awarded' | 'completed' | 'cancelled' | 'terminated'
>;

/** Days from today (Eastern), or fixed calendar dates for history. */
type Timing =
  | { opensInDays: number; closesInDays: number; deliveryWeeks: number }
  | { opensOn: string; closesOn: string; deliveryDueOn: string };

/** A paragraph, or a bullet list. */
type Block = string | readonly string[];

interface Section {
  heading: string;
  body: readonly Block[];
}

interface Content {
  title: string;
  summary: string;
  description: readonly Section[];
  skills: readonly string[];
  mandatory: readonly string[];
  acceptance: readonly string[];
}

interface Bilingual {
  en: string;
  fr: string;
}

interface DemoOpportunity {
  department: DepartmentKey;
  status: DemoStatus;
  timing: Timing;
  repositoryUrl: string;
  licence: string;
  priceCents: number;
  /** Whole days spent in draft, submitted, screened, funds approved and translated. */
  preparationDays?: readonly number[];
  /** A deadline extension, posted some days after opening; closing dates are the extended ones. */
  addendum?: { daysAfterOpening: number; extensionDays: number; reason: Bilingual };
  /** Why it ended: recorded on the last event of a cancelled or terminated opportunity. */
  outcome?: string;
  en: Content;
  fr: Content;
}

const DEMO_OPPORTUNITIES: readonly DemoOpportunity[] = [
  {
    department: 'ESDC',
    status: 'published',
    timing: { opensInDays: -10, closesInDays: 0, deliveryWeeks: 4 },
    repositoryUrl: 'https://github.com/esdc-edsc/benefits-estimator-components',
    licence: 'MIT',
    priceCents: 320_000,
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
            'Les composants sont écrits en TypeScript et testés avec Jest. Vous travaillerez dans une branche du dépôt public et présenterez une demande de tirage (pull request); un membre de notre équipe l’examinera dans un délai de deux jours ouvrables. Vous n’avez besoin d’aucun accès aux systèmes du gouvernement.',
          ],
        },
      ],
      skills: [
        'React',
        'TypeScript',
        'WCAG 2.1',
        'ARIA',
        'Lecteurs d’écran (NVDA, JAWS, VoiceOver)',
      ],
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
  },
  {
    department: 'TBS',
    status: 'published',
    timing: { opensInDays: -6, closesInDays: 3, deliveryWeeks: 3 },
    repositoryUrl: 'https://github.com/canada-ca/wcag-contrast-action',
    licence: 'MIT',
    priceCents: 450_000,
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
        'Créer une action GitHub réutilisable qui signale une demande de tirage (pull request) lorsque les couleurs du texte et de l’arrière-plan de ses fichiers CSS ne respectent pas les ratios de contraste du niveau AA des WCAG 2.1.',
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
              'vérifie chaque paire de couleurs de texte et d’arrière-plan déclarée par rapport au ratio de 4,5:1 pour le texte normal et de 3:1 pour le grand texte et les composants d’interface;',
              'publie dans la demande de tirage un résumé clair de chaque paire non conforme, avec son ratio ainsi que le fichier et la ligne où elle est déclarée;',
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
  },
  {
    department: 'ESDC',
    status: 'published',
    timing: { opensInDays: -8, closesInDays: 10, deliveryWeeks: 5 },
    repositoryUrl: 'https://github.com/esdc-edsc/form-validation',
    licence: 'MIT',
    priceCents: 280_000,
    addendum: {
      daysAfterOpening: 6,
      extensionDays: 3,
      reason: {
        en: "The repository's contribution guide was missing when the opportunity was published; it has now been added.",
        fr: 'Le guide de contribution du dépôt manquait au moment de la publication de l’occasion; il y a maintenant été ajouté.',
      },
    },
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
  },
  {
    department: 'TBS',
    status: 'published',
    timing: { opensInDays: -4, closesInDays: 14, deliveryWeeks: 5 },
    repositoryUrl: 'https://github.com/canada-ca/proactive-disclosure-search',
    licence: 'MIT',
    priceCents: 580_000,
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
            'Le Portail du gouvernement ouvert permet à quiconque de consulter ce que les ministères divulguent de façon proactive : contrats de plus de 10 000 $, frais de voyage et d’accueil, subventions et contributions, et plus encore. Il est possible de filtrer les résultats, mais seulement de les copier à partir de l’écran. Des journalistes, des chercheurs et des fonctionnaires nous demandent souvent un moyen de télécharger ce qu’ils ont trouvé.',
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
  },
  {
    department: 'ESDC',
    status: 'published',
    timing: { opensInDays: -2, closesInDays: 21, deliveryWeeks: 6 },
    repositoryUrl: 'https://gitlab.com/esdc-edsc/notify-connector',
    licence: 'Apache-2.0',
    priceCents: 690_000,
    en: {
      title: 'GC Notify connector for the appointment booking service',
      summary:
        'Write a small, reusable Node.js module that sends appointment confirmations and reminders through the GC Notify API, with retries and templates in both official languages.',
      description: [
        {
          heading: 'Background',
          body: [
            'People who need help with their Social Insurance Number or a passport application can book an appointment at a Service Canada Centre online. The prototype of the booking service sends confirmations by email through a shared mail server.',
            "We want to move to GC Notify, the Government of Canada's notification service, which many departments already use to send emails and text messages.",
          ],
        },
        {
          heading: 'What we need',
          body: [
            'A Node.js module, written in TypeScript, that:',
            [
              'sends an email or a text message from a GC Notify template, in the language the person chose;',
              'retries temporary failures (HTTP 429 and 5xx responses) with exponential backoff, and never retries a request that GC Notify rejected as not valid;',
              'never writes personal information (email addresses, phone numbers, names) to the logs;',
              'can be tested without a real API key, using a fake server included in the tests.',
            ],
          ],
        },
        {
          heading: 'Good to know',
          body: [
            "GC Notify's API is public and documented. You will get a test API key when the work starts. We only need the module: connecting it to the booking service is not part of this work.",
          ],
        },
      ],
      skills: ['Node.js', 'TypeScript', 'REST APIs', 'Automated testing'],
      mandatory: [
        'Link to public code in which you called a REST API with error handling and retries.',
        'Link to at least one public merge request or pull request in TypeScript that was merged.',
        'A short statement (150 words or less) describing how you keep personal information out of application logs.',
      ],
      acceptance: [
        "The module's tests pass in the GitLab pipeline and cover sending, retries, requests that are not valid, and both languages.",
        'A test shows that no email address or phone number appears in the logs.',
        'The README explains, in English and French, how to install, configure and use the module.',
        'Each source file has the Apache-2.0 licence header, and the work is merged into the main branch.',
      ],
    },
    fr: {
      title: 'Connecteur Notification GC pour le service de prise de rendez-vous',
      summary:
        'Écrire un petit module Node.js réutilisable qui envoie les confirmations et les rappels de rendez-vous au moyen de l’API de Notification GC, avec de nouvelles tentatives en cas d’échec et des gabarits dans les deux langues officielles.',
      description: [
        {
          heading: 'Contexte',
          body: [
            'Les personnes qui ont besoin d’aide pour leur numéro d’assurance sociale ou une demande de passeport peuvent prendre rendez-vous en ligne dans un Centre Service Canada. Le prototype du service de prise de rendez-vous envoie les confirmations par courriel au moyen d’un serveur de messagerie partagé.',
            'Nous voulons passer à Notification GC, le service de notification du gouvernement du Canada, que de nombreux ministères utilisent déjà pour envoyer des courriels et des messages texte.',
          ],
        },
        {
          heading: 'Ce dont nous avons besoin',
          body: [
            'Un module Node.js, écrit en TypeScript, qui :',
            [
              'envoie un courriel ou un message texte à partir d’un gabarit de Notification GC, dans la langue choisie par la personne;',
              'fait de nouvelles tentatives, à intervalles croissants, en cas d’erreur temporaire (réponses HTTP 429 et 5xx), et ne répète jamais une requête que Notification GC a refusée parce qu’elle n’était pas valide;',
              'n’écrit jamais de renseignements personnels (adresses courriel, numéros de téléphone, noms) dans les journaux;',
              'peut être testé sans véritable clé d’API, grâce à un faux serveur inclus dans les tests.',
            ],
          ],
        },
        {
          heading: 'Bon à savoir',
          body: [
            'L’API de Notification GC est publique et documentée. Une clé d’API d’essai vous sera remise au début des travaux. Nous n’avons besoin que du module : son intégration au service de prise de rendez-vous ne fait pas partie des travaux.',
          ],
        },
      ],
      skills: ['Node.js', 'TypeScript', 'API REST', 'Tests automatisés'],
      mandatory: [
        'Lien vers du code public dans lequel vous avez appelé une API REST avec gestion des erreurs et nouvelles tentatives.',
        'Lien vers au moins une demande de fusion (merge request) ou demande de tirage (pull request) publique en TypeScript qui a été fusionnée.',
        'Un court texte (150 mots ou moins) décrivant comment vous évitez que des renseignements personnels se retrouvent dans les journaux d’une application.',
      ],
      acceptance: [
        'Les tests du module réussissent dans le pipeline GitLab et couvrent l’envoi, les nouvelles tentatives, les requêtes non valides et les deux langues.',
        'Un test démontre qu’aucune adresse courriel ni aucun numéro de téléphone n’apparaît dans les journaux.',
        'Le fichier README explique, en français et en anglais, comment installer, configurer et utiliser le module.',
        'Chaque fichier source comporte l’en-tête de la licence Apache-2.0, et les travaux sont fusionnés dans la branche principale.',
      ],
    },
  },
  {
    department: 'TBS',
    status: 'published',
    timing: { opensInDays: -1, closesInDays: 28, deliveryWeeks: 6 },
    repositoryUrl: 'https://github.com/canada-ca/open-data-harvester',
    licence: 'MIT',
    priceCents: 740_000,
    en: {
      title: 'Retry and resume for the open data harvester',
      summary:
        'Make the pipeline that copies departmental datasets to the Open Government Portal retry failed downloads and resume where it stopped, instead of starting over.',
      description: [
        {
          heading: 'Background',
          body: [
            'Every night, a Python pipeline downloads the datasets that departments publish on their own servers, checks them and updates the matching records on the Open Government Portal. About 1,200 files are harvested each night.',
            'When a departmental server is slow or does not respond, the whole run stops. The next night it starts again from the beginning, and the datasets that depend on that server can stay out of date for days.',
          ],
        },
        {
          heading: 'What we need',
          body: [
            [
              'Retry each download a configurable number of times, with exponential backoff and jitter, after a network error or an HTTP 429 or 5xx response.',
              'Record the progress of each run in the existing SQLite state file, so that an interrupted run can resume with the sources it had not finished.',
              'Skip a source that keeps failing, carry on with the others, and list it in the run report.',
              'Add a `--resume` option to the command line, described in its help text.',
            ],
          ],
        },
        {
          heading: 'Good to know',
          body: [
            'The pipeline uses Python 3.12 and the `requests` library. A test suite based on recorded HTTP responses is already in place; please extend it rather than calling real servers.',
          ],
        },
      ],
      skills: ['Python', 'HTTP', 'SQLite', 'pytest'],
      mandatory: [
        'Link to at least one public pull request in Python that was merged.',
        'Link to public code in which you handled network failures (retries, timeouts or backoff).',
      ],
      acceptance: [
        'Existing and new tests pass; the new tests simulate a server that fails, recovers or times out.',
        'A test shows that a run interrupted halfway resumes with the remaining sources only.',
        'The README describes the new options and the run report, in English and French.',
        'The work is delivered as a merged pull request under the MIT licence, with no new dependency that is not open source.',
      ],
    },
    fr: {
      title: 'Reprise sur erreur pour le moissonneur de données ouvertes',
      summary:
        'Faire en sorte que le pipeline qui copie les jeux de données des ministères vers le Portail du gouvernement ouvert relance les téléchargements qui échouent et reprenne là où il s’est arrêté, au lieu de tout recommencer.',
      description: [
        {
          heading: 'Contexte',
          body: [
            'Chaque nuit, un pipeline Python télécharge les jeux de données que les ministères publient sur leurs propres serveurs, les vérifie et met à jour les fiches correspondantes dans le Portail du gouvernement ouvert. Environ 1 200 fichiers sont moissonnés chaque nuit.',
            'Lorsqu’un serveur ministériel est lent ou ne répond pas, toute l’exécution s’arrête. La nuit suivante, elle reprend depuis le début, et les jeux de données qui dépendent de ce serveur peuvent rester périmés pendant des jours.',
          ],
        },
        {
          heading: 'Ce dont nous avons besoin',
          body: [
            [
              'Relancer chaque téléchargement un nombre de fois paramétrable, à intervalles croissants et légèrement aléatoires, après une erreur réseau ou une réponse HTTP 429 ou 5xx.',
              'Consigner la progression de chaque exécution dans le fichier d’état SQLite existant, afin qu’une exécution interrompue puisse reprendre avec les sources qu’elle n’avait pas terminées.',
              'Passer une source qui échoue à répétition, poursuivre avec les autres et l’inscrire au rapport d’exécution.',
              'Ajouter l’option `--resume` à la ligne de commande, décrite dans son texte d’aide.',
            ],
          ],
        },
        {
          heading: 'Bon à savoir',
          body: [
            'Le pipeline utilise Python 3.12 et la bibliothèque `requests`. Une suite de tests fondée sur des réponses HTTP enregistrées existe déjà; veuillez la compléter plutôt que d’appeler de véritables serveurs.',
          ],
        },
      ],
      skills: ['Python', 'HTTP', 'SQLite', 'pytest'],
      mandatory: [
        'Lien vers au moins une demande de tirage publique en Python qui a été fusionnée.',
        'Lien vers du code public dans lequel vous avez géré des défaillances réseau (nouvelles tentatives, délais d’expiration ou intervalles croissants).',
      ],
      acceptance: [
        'Les tests existants et nouveaux réussissent; les nouveaux tests simulent un serveur qui tombe en panne, se rétablit ou dépasse le délai d’attente.',
        'Un test démontre qu’une exécution interrompue à mi-parcours reprend uniquement avec les sources restantes.',
        'Le fichier README décrit les nouvelles options et le rapport d’exécution, en français et en anglais.',
        'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT, sans nouvelle dépendance qui ne soit pas à code source ouvert.',
      ],
    },
  },
  {
    department: 'ESDC',
    status: 'closed',
    timing: { opensInDays: -23, closesInDays: -2, deliveryWeeks: 3 },
    repositoryUrl: 'https://github.com/esdc-edsc/canada-address',
    licence: 'MIT',
    priceCents: 180_000,
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
  },
  {
    department: 'TBS',
    status: 'closed',
    timing: { opensInDays: -26, closesInDays: -5, deliveryWeeks: 4 },
    repositoryUrl: 'https://github.com/canada-ca/gc-format',
    licence: 'MIT',
    priceCents: 240_000,
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
  },
  {
    department: 'ESDC',
    status: 'awarded',
    timing: { opensInDays: -28, closesInDays: -7, deliveryWeeks: 5 },
    repositoryUrl: 'https://github.com/esdc-edsc/ci-templates',
    licence: 'MIT',
    priceCents: 390_000,
    en: {
      title: 'Software bill of materials in our continuous integration templates',
      summary:
        "Add a step to ESDC's shared GitHub Actions workflows that produces a CycloneDX software bill of materials (SBOM) for each release and attaches it to the release.",
      description: [
        {
          heading: 'Background',
          body: [
            'ESDC teams that work in the open reuse a set of shared GitHub Actions workflows to build, test and release their applications. Our security team now asks for a software bill of materials (SBOM) for every release, so that we can quickly find which applications use a library when a vulnerability is announced.',
            'Today, teams produce these by hand, in different formats, when they remember to.',
          ],
        },
        {
          heading: 'What we need',
          body: [
            [
              'A reusable workflow step that produces a CycloneDX SBOM (JSON) for Node.js, Python and Java (Maven) projects.',
              'The SBOM attached to each GitHub release, with a file name that includes the version.',
              'An option to fail the workflow when a dependency has a licence that is not on a configurable allow list.',
              'Documentation on how a team turns the step on in its repository.',
            ],
          ],
        },
        {
          heading: 'Good to know',
          body: [
            'Use existing open-source tools, such as the CycloneDX generators, rather than writing a new one. The workflows must keep working for teams that do not turn on the new step.',
          ],
        },
      ],
      skills: [
        'GitHub Actions',
        'CycloneDX',
        'Node.js, Python and Maven builds',
        'Open-source licences',
      ],
      mandatory: [
        'Link to a GitHub Actions workflow you wrote that is used in at least one public repository.',
        'Link to at least one public pull request, merged in a project built with npm, pip or Maven.',
        'A short statement (150 words or less) explaining what a software bill of materials is used for.',
      ],
      acceptance: [
        'The 3 sample projects in the repository (Node.js, Python, Maven) each produce a valid CycloneDX SBOM, checked by the CycloneDX command-line tool in the workflow.',
        'The licence check fails on the sample project that has a dependency outside the allow list, and passes on the others.',
        'The documentation is available in English and French.',
        'The work is delivered as a merged pull request under the MIT licence.',
      ],
    },
    fr: {
      title: 'Nomenclature logicielle dans nos modèles d’intégration continue',
      summary:
        'Ajouter aux flux de travail GitHub Actions communs d’EDSC une étape qui produit une nomenclature logicielle (SBOM) au format CycloneDX pour chaque version publiée et la joint à celle-ci.',
      description: [
        {
          heading: 'Contexte',
          body: [
            'Les équipes d’EDSC qui travaillent en mode ouvert réutilisent un ensemble de flux de travail GitHub Actions communs pour compiler, tester et publier leurs applications. Notre équipe de la sécurité exige désormais une nomenclature logicielle (SBOM) pour chaque version publiée, afin de savoir rapidement quelles applications utilisent une bibliothèque lorsqu’une vulnérabilité est annoncée.',
            'À l’heure actuelle, les équipes produisent ces nomenclatures à la main, dans des formats différents, quand elles y pensent.',
          ],
        },
        {
          heading: 'Ce dont nous avons besoin',
          body: [
            [
              'Une étape de flux de travail réutilisable qui produit une nomenclature CycloneDX (JSON) pour les projets Node.js, Python et Java (Maven).',
              'La nomenclature jointe à chaque version publiée dans GitHub, sous un nom de fichier qui comprend le numéro de version.',
              'Une option pour faire échouer le flux de travail lorsqu’une dépendance est assujettie à une licence qui ne figure pas dans une liste d’autorisation paramétrable.',
              'De la documentation expliquant comment une équipe active cette étape dans son dépôt.',
            ],
          ],
        },
        {
          heading: 'Bon à savoir',
          body: [
            'Utilisez des outils à code source ouvert existants, comme les générateurs CycloneDX, plutôt que d’en écrire un nouveau. Les flux de travail doivent continuer de fonctionner pour les équipes qui n’activent pas la nouvelle étape.',
          ],
        },
      ],
      skills: [
        'GitHub Actions',
        'CycloneDX',
        'Compilation avec Node.js, Python et Maven',
        'Licences de source ouverte',
      ],
      mandatory: [
        'Lien vers un flux de travail GitHub Actions que vous avez écrit et qui est utilisé dans au moins un dépôt public.',
        'Lien vers au moins une demande de tirage publique, fusionnée dans un projet compilé avec npm, pip ou Maven.',
        'Un court texte (150 mots ou moins) expliquant à quoi sert une nomenclature logicielle.',
      ],
      acceptance: [
        'Les trois projets d’exemple du dépôt (Node.js, Python, Maven) produisent chacun une nomenclature CycloneDX valide, vérifiée par l’outil en ligne de commande CycloneDX dans le flux de travail.',
        'La vérification des licences échoue pour le projet d’exemple qui comprend une dépendance absente de la liste d’autorisation, et réussit pour les autres.',
        'La documentation est offerte en français et en anglais.',
        'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence MIT.',
      ],
    },
  },
  {
    department: 'TBS',
    status: 'completed',
    timing: { opensInDays: -130, closesInDays: -110, deliveryWeeks: 4 },
    repositoryUrl: 'https://github.com/canada-ca/ore-ero',
    licence: 'MIT',
    priceCents: 420_000,
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
  },
  {
    department: 'ESDC',
    status: 'cancelled',
    timing: { opensInDays: -40, closesInDays: -19, deliveryWeeks: 4 },
    repositoryUrl: 'https://github.com/esdc-edsc/canada-menu',
    licence: 'GPL-2.0-or-later',
    priceCents: 350_000,
    outcome:
      'Cancelled before the closing date: the Canada.ca theme maintainers released a Drupal 11 version that includes the menu and breadcrumb, so this module and the work are no longer needed. No applications were evaluated.',
    en: {
      title: 'Make the Canada.ca menu module compatible with Drupal 11',
      summary:
        'Update our open-source Drupal module that displays the Canada.ca site menu so that it installs and passes its tests on Drupal 11.',
      description: [
        {
          heading: 'Background',
          body: [
            'Several ESDC program websites are built with Drupal and use a small module we published to display the Canada.ca site menu and breadcrumb trail. We need to move these sites to Drupal 11, and the module uses programming interfaces that Drupal 11 removed.',
          ],
        },
        {
          heading: 'What we need',
          body: [
            [
              "Replace the deprecated APIs reported by Drupal's Upgrade Status tool.",
              "Update the module's info file and dependencies for Drupal 10.3 and 11.",
              'Make the existing PHPUnit tests pass on both versions in the continuous integration pipeline.',
            ],
          ],
        },
        {
          heading: 'Good to know',
          body: ['The module is licensed under GPL-2.0-or-later, like Drupal itself.'],
        },
      ],
      skills: ['PHP', 'Drupal 10 and 11', 'PHPUnit'],
      mandatory: [
        'Link to a Drupal module or theme you contributed to, with at least one change that was merged.',
        'Link to public PHP code, with automated tests that you wrote.',
      ],
      acceptance: [
        'The module installs on a new Drupal 10.3 site and a new Drupal 11 site without errors or deprecation warnings.',
        'The PHPUnit tests pass on both versions in the pipeline.',
        'The work is delivered as a merged pull request under GPL-2.0-or-later.',
      ],
    },
    fr: {
      title: 'Rendre le module de menus Canada.ca compatible avec Drupal 11',
      summary:
        'Mettre à jour notre module Drupal à code source ouvert qui affiche le menu du site Canada.ca, afin qu’il s’installe et réussisse ses tests sous Drupal 11.',
      description: [
        {
          heading: 'Contexte',
          body: [
            'Plusieurs sites Web de programmes d’EDSC sont construits avec Drupal et utilisent un petit module que nous avons publié pour afficher le menu du site et le chemin de navigation de Canada.ca. Nous devons faire passer ces sites à Drupal 11, et le module utilise des interfaces de programmation que Drupal 11 a retirées.',
          ],
        },
        {
          heading: 'Ce dont nous avons besoin',
          body: [
            [
              'Remplacer les API désuètes signalées par l’outil Upgrade Status de Drupal.',
              'Mettre à jour le fichier d’information du module et ses dépendances pour Drupal 10.3 et 11.',
              'Faire réussir les tests PHPUnit existants avec les deux versions dans le pipeline d’intégration continue.',
            ],
          ],
        },
        {
          heading: 'Bon à savoir',
          body: ['Le module est publié sous licence GPL-2.0-or-later, comme Drupal.'],
        },
      ],
      skills: ['PHP', 'Drupal 10 et 11', 'PHPUnit'],
      mandatory: [
        'Lien vers un module ou un thème Drupal auquel vous avez contribué, avec au moins une modification qui a été fusionnée.',
        'Lien vers du code public en PHP, accompagné de tests automatisés que vous avez écrits.',
      ],
      acceptance: [
        'Le module s’installe sans erreur ni avertissement d’obsolescence sur un nouveau site Drupal 10.3 et sur un nouveau site Drupal 11.',
        'Les tests PHPUnit réussissent avec les deux versions dans le pipeline.',
        'Les travaux sont livrés dans une demande de tirage (pull request) fusionnée, sous licence GPL-2.0-or-later.',
      ],
    },
  },
  {
    // The pilot's only real opportunity (seeds/002 and the pilot site): posted on June 23, 2021,
    // deadline pushed back a week, awarded, then terminated for non-delivery without payment.
    department: 'ESDC',
    status: 'terminated',
    timing: { opensOn: '2021-06-23', closesOn: '2021-07-12', deliveryDueOn: '2021-07-23' },
    repositoryUrl: 'https://github.com/esdc-edsc/azure-marketplace-policies',
    licence: 'MIT',
    priceCents: 650_000,
    // Annex A of the close-out report: 23 days to write it + 2 for the form; 4 for section 32
    // and 3 for the fund reservation; 4 to translate; 2 to prepare the page.
    preparationDays: [25, 1, 7, 4, 2],
    addendum: {
      daysAfterOpening: 7,
      extensionDays: 7,
      reason: {
        en: 'Suppliers have one more week to prepare their application.',
        fr: 'Les fournisseurs disposent ainsi d’une semaine de plus pour préparer leur demande.',
      },
    },
    outcome:
      'Terminated for non-delivery: the supplier told the client they could not complete the work, so no payment was made. 4 applications were received and only 1 met the mandatory criteria, so the work could not go to another applicant; the client chose not to re-post the opportunity.',
    en: {
      title: 'Azure marketplace policies',
      summary:
        'Develop PowerShell scripts that set custom Azure policies so that ESDC clients can install paid third-party offerings from the private Azure Marketplace only once they have financial approval.',
      description: [
        {
          heading: 'Background',
          body: [
            "The work in this opportunity is requested by ESDC's Cloud Operations team. It is part of the ongoing maintenance and configuration management of ESDC's Azure environment: the scripts will be integrated into existing systems.",
            "ESDC's Azure instances use a hub-and-spoke model: the hub provides common services to the spokes, and each ESDC client is identified by an Azure subscription (at first, by a resource group). Clients can use first-party (Microsoft) and third-party offerings from Azure Marketplace. Most first-party offerings are approved by default. Third-party offerings must be approved by the administrator and by government organizations outside ESDC before they are added to ESDC's private marketplace; 45 have been approved so far, and the list changes over time. Everyone at ESDC sees the same private marketplace.",
            "A client who wants to use a third-party offering whose price starts above $0.00 must first get financial approval. Azure's built-in policies cannot stop a client from installing an offering once it is in the private marketplace, whether or not the client has that approval.",
          ],
        },
        {
          heading: 'What we need',
          body: [
            'You must provide:',
            [
              'PowerShell scripts that create the JSON for a custom Azure policy that prevents all ESDC Azure clients from installing any third-party Marketplace offering (including the private marketplace) whose price starts above $0.00 per hour;',
              'a filter in those scripts that allows or denies offerings by publisher, offer and plan, with wildcards;',
              'a rule that lets only the clients with financial approval for an approved offering install it;',
              'for clients without that approval, this message in the language of their interface: "You must seek financial approval to use this Azure Marketplace offering before you can install it.";',
              'documentation, both comments in the code and a separate document, that explains how the scripts work and the business rules they apply.',
            ],
          ],
        },
        {
          heading: 'Good to know',
          body: [
            "Sending the client's financial approval to the Cloud Operations team is not part of this work. The successful supplier will get access to an unsecured Azure sandbox, already set up with subscriptions and private marketplace offerings, to run the functional tests.",
          ],
        },
      ],
      skills: ['Azure Policy', 'Azure Automation runbooks', 'PowerShell'],
      mandatory: [
        'A short written statement (250 words or less) showing that you have the required skills in Azure Policy: when you gained them, what you did and how you did it (for example, previous work, school work or civic tech projects).',
        'In the same statement, an example of an Azure Automation runbook, or another PowerShell script, that you wrote to manage Azure resources.',
      ],
      acceptance: [
        'The source code meets every requirement in the description and is delivered under the MIT licence.',
        'The scripts pass PowerShell Script Analyzer with all default rules; any warning that is suppressed is listed in the documentation with a justification.',
        'In the Azure sandbox, the functional tests pass: a client with financial approval for an approved offering can install it; a client without that approval cannot; approval for one offering does not allow installing another; a newly approved offering is blocked until the client has financial approval.',
        'The documentation describes the logic and business rules of each script, and variable names are descriptive.',
      ],
    },
    fr: {
      title: 'Politiques de la place de marché Azure',
      summary:
        'Élaborer des scripts PowerShell qui établissent des politiques Azure personnalisées afin que les clients d’EDSC ne puissent installer les offres payantes de tiers de la place de marché privée Azure qu’après avoir obtenu l’approbation financière.',
      description: [
        {
          heading: 'Contexte',
          body: [
            'L’équipe des Opérations infonuagiques d’EDSC demande les travaux visés par cette occasion. Ils s’inscrivent dans la maintenance et la gestion continues de la configuration de l’environnement Azure d’EDSC : les scripts seront intégrés aux systèmes existants.',
            'Les instances Azure d’EDSC reposent sur un modèle en étoile : le carrefour fournit des services communs aux rayons, et chaque client d’EDSC est identifié par un abonnement Azure (au départ, par un groupe de ressources). Les clients peuvent utiliser les offres de Microsoft et celles de tiers dans la place de marché Azure. La plupart des offres de Microsoft sont approuvées par défaut. Les offres de tiers doivent être approuvées par l’administrateur et par des organismes gouvernementaux externes à EDSC avant d’être ajoutées à la place de marché privée d’EDSC; 45 offres ont été approuvées à ce jour, et la liste évolue au fil du temps. Tout le monde à EDSC voit la même place de marché privée.',
            'Le client qui souhaite utiliser une offre de tiers dont le prix de départ dépasse 0,00 $ doit d’abord obtenir l’approbation financière. Les politiques intégrées d’Azure ne peuvent pas empêcher un client d’installer une offre qui se trouve dans la place de marché privée, qu’il ait obtenu cette approbation ou non.',
          ],
        },
        {
          heading: 'Ce dont nous avons besoin',
          body: [
            'Vous devez fournir :',
            [
              'des scripts PowerShell qui créent le fichier JSON d’une politique Azure personnalisée empêchant tous les clients Azure d’EDSC d’installer une offre de tiers de la place de marché (y compris la place de marché privée) dont le prix de départ dépasse 0,00 $ l’heure;',
              'un filtre, dans ces scripts, qui autorise ou refuse les offres selon l’éditeur, l’offre et le plan, avec caractères génériques;',
              'une règle qui permet seulement aux clients ayant obtenu l’approbation financière pour une offre approuvée de l’installer;',
              'pour les clients qui n’ont pas cette approbation, le message suivant, dans la langue de leur interface : « Vous devez obtenir l’approbation financière pour utiliser cette offre de la place de marché Azure avant de pouvoir l’installer. »;',
              'de la documentation (commentaires dans le code et document distinct) qui explique le fonctionnement des scripts et les règles opérationnelles qu’ils appliquent.',
            ],
          ],
        },
        {
          heading: 'Bon à savoir',
          body: [
            'La transmission de l’approbation financière du client à l’équipe des Opérations infonuagiques ne fait pas partie des travaux. Le fournisseur retenu aura accès à un bac à sable Azure non sécurisé, déjà rempli d’abonnements et d’offres de la place de marché privée, pour effectuer les essais fonctionnels.',
          ],
        },
      ],
      skills: ['Azure Policy', 'Runbooks Azure Automation', 'PowerShell'],
      mandatory: [
        'Une courte déclaration écrite (250 mots ou moins) démontrant que vous possédez les compétences requises relativement à Azure Policy : quand vous les avez acquises, ce que vous avez fait et comment vous l’avez fait (p. ex. expérience de travail antérieure, travaux scolaires ou projets de technologie civique).',
        'Dans la même déclaration, un exemple de runbook Azure Automation, ou d’un autre script PowerShell, que vous avez écrit pour gérer des ressources Azure.',
      ],
      acceptance: [
        'Le code source satisfait à toutes les exigences de la description et est livré sous licence MIT.',
        'Les scripts réussissent l’analyse de PowerShell Script Analyzer avec toutes les règles par défaut; tout avertissement supprimé figure dans la documentation, accompagné d’une justification.',
        'Dans le bac à sable Azure, les essais fonctionnels réussissent : un client ayant obtenu l’approbation financière pour une offre approuvée peut l’installer; un client qui ne l’a pas obtenue ne le peut pas; l’approbation pour une offre ne permet pas d’en installer une autre; une offre nouvellement approuvée est bloquée tant que le client n’a pas obtenu l’approbation financière.',
        'La documentation décrit la logique et les règles opérationnelles de chaque script, et les noms de variables sont descriptifs.',
      ],
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Dates

interface Schedule {
  opensOn: string;
  opensAt: Date;
  closesOn: string;
  closesAt: Date;
  deliveryDueOn: string;
}

function addDays(isoDate: string, days: number): string {
  const date = DateTime.fromISO(isoDate, { zone: EASTERN }).plus({ days }).toISODate();
  if (!date) throw new Error(`Not a calendar date: ${isoDate}`);
  return date;
}

function daysBetween(fromIsoDate: string, toIsoDate: string): number {
  const from = DateTime.fromISO(fromIsoDate, { zone: EASTERN });
  return Math.round(DateTime.fromISO(toIsoDate, { zone: EASTERN }).diff(from, 'days').days);
}

function scheduleOf(opensOn: string, closesOn: string, deliveryDueOn: string): Schedule {
  return {
    opensOn,
    opensAt: easternInstant(opensOn, OPENING_HOUR),
    closesOn,
    closesAt: easternInstant(closesOn, DEADLINE_HOUR),
    deliveryDueOn,
  };
}

function schedule(timing: Timing, now: Date): Schedule {
  if ('opensOn' in timing) return scheduleOf(timing.opensOn, timing.closesOn, timing.deliveryDueOn);
  const today = easternDate(now);
  let closesOn = addDays(today, timing.closesInDays);
  // An opportunity meant to close today whose deadline has passed closes tomorrow instead.
  if (timing.closesInDays >= 0 && easternInstant(closesOn, DEADLINE_HOUR) <= now) {
    closesOn = addDays(closesOn, 1);
  }
  const opensOn = addDays(today, timing.opensInDays);
  return scheduleOf(opensOn, closesOn, addDays(closesOn, timing.deliveryWeeks * 7));
}

// ---------------------------------------------------------------------------------------------
// Lifecycle history

type Anchor = 'opens' | 'closes' | 'midway' | 'due';

interface Transition {
  from: OpportunityStatus | null;
  to: OpportunityStatus;
  action: string;
  /** When it happened: `days` after the anchor date, at `hour` Eastern. */
  anchor: Anchor;
  days: number;
  hour: number;
}

type PreparationStep = Pick<Transition, 'from' | 'to' | 'action' | 'hour'>;

/** From request to publication; the days spent in each step vary by opportunity. */
const PREPARATION: readonly PreparationStep[] = [
  { from: null, to: 'draft', action: 'create', hour: 9 },
  { from: 'draft', to: 'submitted', action: 'submit', hour: 11 },
  { from: 'submitted', to: 'screened', action: 'screen', hour: 14 },
  { from: 'screened', to: 'funds_approved', action: 'approve_funds', hour: 10 },
  { from: 'funds_approved', to: 'translated', action: 'complete_translation', hour: 15 },
  { from: 'translated', to: 'ready', action: 'approve_preview', hour: 9 },
  { from: 'ready', to: 'published', action: 'publish', hour: OPENING_HOUR },
];

const DEFAULT_PREPARATION_DAYS: readonly number[] = [3, 1, 2, 3, 1];

const AFTER_PUBLICATION: readonly Transition[] = [
  {
    from: 'published',
    to: 'closed',
    action: 'close',
    anchor: 'closes',
    days: 0,
    hour: DEADLINE_HOUR,
  },
  { from: 'closed', to: 'evaluated', action: 'evaluate', anchor: 'closes', days: 2, hour: 15 },
  { from: 'evaluated', to: 'drawn', action: 'draw', anchor: 'closes', days: 3, hour: 10 },
  { from: 'drawn', to: 'awarded', action: 'accept_terms', anchor: 'closes', days: 4, hour: 13 },
  { from: 'awarded', to: 'in_progress', action: 'start_work', anchor: 'closes', days: 4, hour: 15 },
  { from: 'in_progress', to: 'delivered', action: 'deliver', anchor: 'due', days: -2, hour: 16 },
  { from: 'delivered', to: 'accepted', action: 'accept_work', anchor: 'due', days: 0, hour: 11 },
  { from: 'accepted', to: 'invoiced', action: 'invoice', anchor: 'due', days: 1, hour: 10 },
  { from: 'invoiced', to: 'certified', action: 'certify', anchor: 'due', days: 3, hour: 14 },
  { from: 'certified', to: 'paid', action: 'pay', anchor: 'due', days: 4, hour: 10 },
  { from: 'paid', to: 'completed', action: 'complete', anchor: 'due', days: 4, hour: 11 },
];

const SIDE_EXITS: Partial<Record<DemoStatus, Transition>> = {
  cancelled: {
    from: 'published',
    to: 'cancelled',
    action: 'cancel',
    anchor: 'midway',
    days: 0,
    hour: 11,
  },
  terminated: {
    from: 'in_progress',
    to: 'terminated',
    action: 'terminate',
    anchor: 'due',
    days: 3,
    hour: 10,
  },
};

/** Days in draft, submitted, screened, funds approved, translated; ready is published the same day. */
function preparation(daysInStep: readonly number[]): Transition[] {
  return PREPARATION.map((step, i) => ({
    ...step,
    anchor: 'opens',
    days: -daysInStep.slice(i).reduce((sum, days) => sum + days, 0),
  }));
}

function pathTo(status: DemoStatus, daysInStep: readonly number[]): Transition[] {
  const main = [...preparation(daysInStep), ...AFTER_PUBLICATION];
  const exit = SIDE_EXITS[status];
  const last = main.findIndex((t) => t.to === (exit ? exit.from : status));
  if (last < 0) throw new Error(`No demo lifecycle path to ${status}`);
  const path = main.slice(0, last + 1);
  return exit ? [...path, exit] : path;
}

function anchorDate(anchor: Anchor, s: Schedule): string {
  switch (anchor) {
    case 'opens':
      return s.opensOn;
    case 'closes':
      return s.closesOn;
    case 'due':
      return s.deliveryDueOn;
    case 'midway':
      return addDays(s.opensOn, Math.floor(daysBetween(s.opensOn, s.closesOn) / 2));
  }
}

interface TimedEvent {
  from: OpportunityStatus | null;
  to: OpportunityStatus;
  action: string;
  at: Date;
  reason: string | null;
}

function history(spec: DemoOpportunity, index: number, s: Schedule): TimedEvent[] {
  const daysInStep =
    spec.preparationDays ?? DEFAULT_PREPARATION_DAYS.map((days, i) => days + ((index + i) % 3));
  const path = pathTo(spec.status, daysInStep);
  return path.map((t, i) => ({
    from: t.from,
    to: t.to,
    action: t.action,
    at: easternInstant(addDays(anchorDate(t.anchor, s), t.days), t.hour),
    reason: i === path.length - 1 ? (spec.outcome ?? null) : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Text

function markdown(sections: readonly Section[]): string {
  const block = (b: Block) => (typeof b === 'string' ? b : b.map((item) => `- ${item}`).join('\n'));
  return sections
    .map((section) => [`### ${section.heading}`, ...section.body.map(block)].join('\n\n'))
    .join('\n\n');
}

function extensionNotice(days: number, closesAt: Date, reason: Bilingual): Bilingual {
  return {
    en: `The closing date is extended by ${days} days, to ${formatDeadline(closesAt, 'en')}. ${reason.en}`,
    fr: `La date de clôture est reportée de ${days}\u00a0jours, soit au ${formatDeadline(closesAt, 'fr')}. ${reason.fr}`,
  };
}

/** The English and French criteria, position by position. */
function criteriaRows(opportunityId: number, en: readonly string[], fr: readonly string[]) {
  return en.map((textEn, i) => ({
    opportunity_id: opportunityId,
    position: i + 1,
    text_en: textEn,
    text_fr: fr[i] ?? '',
  }));
}

// ---------------------------------------------------------------------------------------------
// Plan and load

interface Plan {
  spec: DemoOpportunity;
  schedule: Schedule;
  events: TimedEvent[];
  addendum?: { createdAt: Date; summary: Bilingual };
}

function check(condition: boolean, spec: DemoOpportunity, problem: string): void {
  if (!condition) throw new Error(`Demo opportunity "${spec.en.title}": ${problem}`);
}

function validate(plan: Plan, now: Date): void {
  const { spec, schedule: s, events, addendum } = plan;
  check(maxTotalCents(spec.priceCents) <= CAP_CENTS, spec, 'price over the cap');
  check(s.closesAt > s.opensAt && s.deliveryDueOn > s.closesOn, spec, 'dates out of order');
  for (const key of ['skills', 'mandatory', 'acceptance'] as const) {
    check(spec.en[key].length === spec.fr[key].length, spec, `${key} differ between languages`);
  }
  for (const key of ['mandatory', 'acceptance'] as const) {
    check(spec.en[key].length >= 2 && spec.en[key].length <= 4, spec, `needs 2 to 4 ${key}`);
  }
  const times = events.map((e) => e.at.getTime());
  check(
    times.every((t, i) => i === 0 || t > (times[i - 1] ?? t)),
    spec,
    'history out of order',
  );
  check(
    times.every((t) => t <= now.getTime()),
    spec,
    'history in the future',
  );
  const open = s.closesAt > now;
  check((spec.status === 'published') === open, spec, 'status does not match the deadline');
  if (addendum) {
    check(addendum.createdAt > s.opensAt && addendum.createdAt <= now, spec, 'addendum date');
  }
}

function planFor(spec: DemoOpportunity, index: number, now: Date): Plan {
  const s = schedule(spec.timing, now);
  const plan: Plan = { spec, schedule: s, events: history(spec, index, s) };
  if (spec.addendum) {
    const { daysAfterOpening, extensionDays, reason } = spec.addendum;
    plan.addendum = {
      createdAt: easternInstant(addDays(s.opensOn, daysAfterOpening), 11),
      summary: extensionNotice(extensionDays, s.closesAt, reason),
    };
  }
  validate(plan, now);
  return plan;
}

async function insertDepartments(db: Db): Promise<Record<DepartmentKey, number>> {
  const rows = await db('departments')
    .insert(Object.values(DEPARTMENTS))
    .returning<{ id: number; acronym_en: string }[]>(['id', 'acronym_en']);
  const idOf = (key: DepartmentKey) => {
    const row = rows.find((r) => r.acronym_en === DEPARTMENTS[key].acronym_en);
    if (!row) throw new Error(`Department ${key} was not inserted`);
    return row.id;
  };
  return { ESDC: idOf('ESDC'), TBS: idOf('TBS') };
}

async function insertOpportunity(
  db: Db,
  plan: Plan,
  reference: string,
  departmentId: number,
): Promise<void> {
  const { spec, schedule: s, events, addendum } = plan;
  const createdAt = events[0]?.at ?? s.opensAt;
  const lastChange = Math.max(
    ...events.map((e) => e.at.getTime()),
    addendum?.createdAt.getTime() ?? 0,
  );
  const [row] = await db('opportunities')
    .insert({
      reference,
      department_id: departmentId,
      title_en: spec.en.title,
      title_fr: spec.fr.title,
      summary_en: spec.en.summary,
      summary_fr: spec.fr.summary,
      description_en: markdown(spec.en.description),
      description_fr: markdown(spec.fr.description),
      skills_en: spec.en.skills,
      skills_fr: spec.fr.skills,
      repository_url: spec.repositoryUrl,
      licence: spec.licence,
      price_cents: spec.priceCents,
      max_total_cents: maxTotalCents(spec.priceCents),
      opens_at: s.opensAt,
      closes_at: s.closesAt,
      delivery_due_on: s.deliveryDueOn,
      status: spec.status,
      created_at: createdAt,
      updated_at: new Date(lastChange),
    })
    .returning<{ id: number }[]>('id');
  if (!row) throw new Error(`Opportunity ${reference} was not inserted`);
  await db('mandatory_criteria').insert(criteriaRows(row.id, spec.en.mandatory, spec.fr.mandatory));
  await db('acceptance_criteria').insert(
    criteriaRows(row.id, spec.en.acceptance, spec.fr.acceptance),
  );
  if (addendum) {
    await db('addenda').insert({
      opportunity_id: row.id,
      number: 1,
      summary_en: addendum.summary.en,
      summary_fr: addendum.summary.fr,
      created_at: addendum.createdAt,
    });
  }
  await db('events').insert(
    events.map((e) => ({
      entity_type: 'opportunity',
      entity_id: row.id,
      from_state: e.from,
      to_state: e.to,
      action: e.action,
      actor_id: null,
      reason: e.reason,
      payload: '{}',
      at: e.at,
    })),
  );
}

/** Loads the development demo data once; returns true when it loaded it, false if already there. */
export async function seedDemoOnce(db: Db, clock: Clock): Promise<boolean> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The demo data must never be loaded in production.');
  }
  const now = clock.now();
  // References follow the order of publication: the 2021 pilot opportunity is MA-2021-0001.
  const plans = DEMO_OPPORTUNITIES.map((spec, index) => planFor(spec, index, now)).sort(
    (a, b) => a.schedule.opensAt.getTime() - b.schedule.opensAt.getTime(),
  );
  return db.transaction(async (trx) => {
    // Two processes starting at once must not both find the table empty.
    await trx.raw('LOCK TABLE departments IN SHARE ROW EXCLUSIVE MODE');
    if (await trx('departments').first('id')) return false;
    const departmentIds = await insertDepartments(trx);
    for (const [i, plan] of plans.entries()) {
      const reference = `MA-${plan.schedule.opensOn.slice(0, 4)}-${String(i + 1).padStart(4, '0')}`;
      await insertOpportunity(trx, plan, reference, departmentIds[plan.spec.department]);
    }
    return true;
  });
}
