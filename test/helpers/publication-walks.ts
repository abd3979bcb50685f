import { formatMoney, CAP_CENTS, highestPreTaxPriceCents } from '../../src/platform/money.ts';
import type { Lang } from '../../src/platform/i18n.ts';
import type { Role } from '../../src/platform/roles.ts';

/**
 * The two walks of the request-to-publication tests (test/integration/request-to-publication-*):
 * the whole stretch of issue 5, through HTTP only, for two departments: a client's request
 * written step by step, submitted, screened, approved under section 32, translated, previewed,
 * published and closed by the job at its deadline — with the refusals on the way. ESDC works in
 * English, TBS in French (pages, writing and emails), so every refusal is read in both languages.
 * The clock moves one day between steps: the events table then says how long each one took.
 * Each file walks its own stretch; the steps before it are built through the same actions, on
 * the same days, by the same people (test/helpers/publication-world.ts).
 */

export const PASSWORD = 'whole flow passphrase';
export const DAY_MS = 24 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
export const SUBSCRIBER = 'reader@example.com';

export type StepForms = Record<1 | 2 | 3 | 4 | 5, Record<string, string>>;

export interface Walk {
  acronym: { en: string; fr: string };
  /** The staff's e-mail domain is `<slug>.example.ca`. */
  slug: 'esdc' | 'tbs';
  /** The language of the department's people: pages, what the client writes, emails. */
  lang: Lang;
  /** Day 0: the client starts writing (a Monday, 10:00 Eastern). */
  start: string;
  /** The request walked to the end. Step 4's price is typed by the walk. */
  request: StepForms;
  /** The cap by one cent, then the cap exactly, typed the way a person of the language types. */
  typedPrices: { overCap: string; cap: string };
  /** A price the client comes back to from the review page, if any (about $7,000 with tax). */
  changedPrice?: { typed: string; cents: number };
  /** Texts of the other language, typed by the program officer in the side-by-side editor. */
  translation: Record<string, string>;
  /** The request of the person who is both client and section 32 manager. */
  ownRequest: StepForms;
  /** Seven days after the start, plus 10 business days, at 14:00 Eastern. */
  expectedClosesAt: string;
  /** Days 4 and 5 at 10:00 Eastern, as the request page writes them. */
  translationShown: { requested: string; received: string };
  /** Set when the department is inserted. */
  departmentId: number;
}

export const walks: Walk[] = [
  {
    acronym: { en: 'ESDC', fr: 'EDSC' },
    slug: 'esdc',
    lang: 'en',
    start: '2026-11-23T15:00:00Z',
    request: {
      1: {
        title: 'Add French messages to the form validator',
        summary: 'The validator only speaks English; add French messages.',
        description: '### Background\n\nThe validator only speaks **English**.',
      },
      2: {
        repositoryUrl: 'https://github.com/esdc-edsc/form-validator',
        licence: 'MIT',
        skills: 'TypeScript\nAccessibility',
      },
      3: {
        acceptanceCriteria: 'All existing tests pass\nEvery message exists in French',
        mandatoryCriteria: 'A merged pull request in TypeScript\nExperience with i18n',
      },
      4: { deliveryDueOn: '2027-01-29', preferredOpensOn: '', preferredClosesOn: '' },
      5: { costCentre: '100234', fund: '1000', glAccount: '52202', paymentMethod: 'paypal_payout' },
    },
    typedPrices: { overCap: '8,695.66', cap: '8,695.65' },
    translation: {
      title_fr: 'Ajouter des messages en français au validateur de formulaires',
      summary_fr: 'Le validateur ne parle qu’anglais : ajouter des messages en français.',
      description_fr: '### Contexte\n\nLe validateur ne parle qu’**anglais**.',
      skills_fr: 'TypeScript\nAccessibilité',
      'mandatory-1_fr': 'Une demande de tirage fusionnée en TypeScript',
      'mandatory-2_fr': 'Expérience de l’internationalisation',
      'acceptance-1_fr': 'Tous les tests existants réussissent',
      'acceptance-2_fr': 'Chaque message existe en français',
    },
    ownRequest: {
      1: {
        title: 'Add a dark mode to the design system',
        summary: 'The design system has no dark mode.',
        description: 'Users ask for it.',
      },
      2: {
        repositoryUrl: 'https://github.com/esdc-edsc/design-system',
        licence: 'Apache-2.0',
        skills: 'CSS',
      },
      3: { acceptanceCriteria: 'Contrast meets WCAG 2.1 AA', mandatoryCriteria: 'Public CSS work' },
      4: {
        price: '1000',
        deliveryDueOn: '2027-02-26',
        preferredOpensOn: '',
        preferredClosesOn: '',
      },
      5: { costCentre: '100235', fund: '1000', glAccount: '52202', paymentMethod: 'paypal_payout' },
    },
    // Monday, November 30 + 10 business days = Monday, December 14, 14:00 EST.
    expectedClosesAt: '2026-12-14T19:00:00.000Z',
    translationShown: {
      requested: 'November 27, 2026 at 10:00 a.m. (Eastern time)',
      received: 'November 28, 2026 at 10:00 a.m. (Eastern time)',
    },
    departmentId: 0,
  },
  {
    acronym: { en: 'TBS', fr: 'SCT' },
    slug: 'tbs',
    lang: 'fr',
    start: '2027-01-11T15:00:00Z',
    request: {
      1: {
        title: 'Traduire le tableau de bord des achats',
        summary: 'Le tableau de bord n’existe qu’en français; il faut une version anglaise.',
        description: '### Contexte\n\nLes gestionnaires anglophones ne peuvent pas le lire.',
      },
      2: {
        repositoryUrl: 'https://gitlab.com/sct-tbs/tableau-de-bord',
        licence: 'Apache-2.0',
        skills: 'Python\nInternationalisation',
      },
      3: {
        acceptanceCriteria: 'Toutes les pages existent en anglais',
        mandatoryCriteria: 'Une contribution publique en Python\nUne expérience de gettext',
      },
      4: { deliveryDueOn: '2027-03-31', preferredOpensOn: '', preferredClosesOn: '' },
      5: { costCentre: '100234', fund: 'F2027', glAccount: '52202', paymentMethod: 'card_direct' },
    },
    typedPrices: { overCap: '8 695,66', cap: '8 695,65' },
    changedPrice: { typed: '6 100,00', cents: 610_000 },
    translation: {
      title_en: 'Translate the purchasing dashboard',
      summary_en: 'The dashboard exists in French only; it needs an English version.',
      description_en: '### Background\n\nEnglish-speaking managers cannot read it.',
      skills_en: 'Python\nInternationalization',
      'mandatory-1_en': 'A public contribution in Python',
      'mandatory-2_en': 'Experience with gettext',
      'acceptance-1_en': 'Every page exists in English',
    },
    ownRequest: {
      1: {
        title: 'Corriger l’export CSV',
        summary: 'L’export CSV perd les accents.',
        description: 'Les accents deviennent des points d’interrogation.',
      },
      2: {
        repositoryUrl: 'https://gitlab.com/sct-tbs/export-csv',
        licence: 'MIT',
        skills: 'Python',
      },
      3: { acceptanceCriteria: 'Les accents sont conservés', mandatoryCriteria: 'Du code Python' },
      4: {
        price: '1 000,00',
        deliveryDueOn: '2027-04-30',
        preferredOpensOn: '',
        preferredClosesOn: '',
      },
      5: {
        costCentre: '100235',
        fund: 'F2027',
        glAccount: '52202',
        paymentMethod: 'paypal_payout',
      },
    },
    // Monday, January 18 + 10 business days = Monday, February 1, 14:00 EST.
    expectedClosesAt: '2027-02-01T19:00:00.000Z',
    translationShown: {
      requested: '15 janvier 2027 à 10\u00a0h (heure de l’Est)',
      received: '16 janvier 2027 à 10\u00a0h (heure de l’Est)',
    },
    departmentId: 0,
  },
];

/** What a person reads, in each language. */
export const messages = {
  en: {
    overCap: `With tax at the highest provincial rate, this price comes to more than ${formatMoney(CAP_CENTS, 'en')}. Enter ${formatMoney(highestPreTaxPriceCents(), 'en')} or less before tax.`,
    overLimit:
      'The amount including tax is above your delegated limit under section 32. Ask a manager with a higher limit.',
    ownRequest: 'You requested this opportunity, so another person must do this step.',
    stale:
      'Someone changed this opportunity since you opened the page, or you clicked twice. Reload the page to see its current state.',
    missingFrench: 'Mandatory criterion 2: enter the French text.',
    noFunds:
      'There is no section 32 fund reservation for this opportunity: it cannot be published.',
    noFundsOnPage:
      'None: the opportunity cannot be published without a section 32 fund reservation.',
    facts: {
      reservation: 'Fund reservation number',
      amount: 'Amount including tax',
      approvedBy: 'Approved by',
      limit: 'Their delegated limit',
      requestedAt: 'Translation requested on',
      receivedAt: 'Translation received on',
    },
    previewBanner: 'Preview — this opportunity is not published yet',
    status: {
      draft: 'Draft',
      submitted: 'Submitted',
      screened: 'Screened',
      funds_approved: 'Funds approved',
      translated: 'Translated',
      ready: 'Ready to publish',
      published: 'Open',
      closed: 'Closed',
    },
  },
  fr: {
    overCap: `Avec les taxes au taux provincial le plus élevé, ce prix dépasse ${formatMoney(CAP_CENTS, 'fr')}. Entrez ${formatMoney(highestPreTaxPriceCents(), 'fr')} ou moins hors taxes.`,
    overLimit:
      'Le montant, taxes incluses, dépasse votre pouvoir délégué en vertu de l’article 32. Adressez-vous à un ou une gestionnaire dont la limite est plus élevée.',
    ownRequest:
      'Vous avez demandé cette occasion\u00a0: une autre personne doit effectuer cette étape.',
    stale:
      'Quelqu’un a modifié cette occasion depuis l’ouverture de la page, ou vous avez cliqué deux fois. Rechargez la page pour voir son état actuel.',
    missingFrench: 'Critère obligatoire 2\u00a0: saisissez le texte en français.',
    noFunds:
      'Il n’y a aucune réservation de fonds en vertu de l’article 32 pour cette occasion\u00a0: elle ne peut pas être publiée.',
    noFundsOnPage:
      'Aucune\u00a0: l’occasion ne peut pas être publiée sans réservation de fonds en vertu de l’article 32.',
    facts: {
      reservation: 'Numéro de réservation de fonds',
      amount: 'Montant, taxes incluses',
      approvedBy: 'Approuvée par',
      limit: 'Son pouvoir délégué',
      requestedAt: 'Traduction demandée le',
      receivedAt: 'Traduction reçue le',
    },
    previewBanner: 'Aperçu — cette occasion n’est pas encore publiée',
    status: {
      draft: 'Ébauche',
      submitted: 'Soumise',
      screened: 'Examinée',
      funds_approved: 'Fonds approuvés',
      translated: 'Traduite',
      ready: 'Prête à publier',
      published: 'Ouverte',
      closed: 'Fermée',
    },
  },
} as const;

export type StatusShown = keyof (typeof messages)['en']['status'];

/** The staff of each department, by the first part of their e-mail address. */
export const staff: { name: string; grants: { role: Role; limitCents?: number }[] }[] = [
  { name: 'client', grants: [{ role: 'client' }] },
  { name: 'client2', grants: [{ role: 'client' }] },
  { name: 'officer', grants: [{ role: 'program_officer' }] },
  { name: 'manager', grants: [{ role: 'section32_manager', limitCents: 1_000_000 }] },
  { name: 'low-limit', grants: [{ role: 'section32_manager', limitCents: 500_000 }] },
  // Requests purchases and approves them under section 32: never their own.
  {
    name: 'manager-client',
    grants: [{ role: 'client' }, { role: 'section32_manager', limitCents: 1_000_000 }],
  },
];
