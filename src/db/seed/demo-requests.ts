import { opportunityMachine } from '../../opportunities/machine.ts';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { activeGrants } from '../../accounts/repo.ts';
import type { OpportunityAction } from '../../opportunities/machine.ts';
import { transition } from '../../lifecycle/transition.ts';
import type { CurrentUser } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { addBusinessDays } from '../../platform/business-days.ts';
import { easternDate } from '../../platform/dates.ts';
import { maxTotalCents } from '../../platform/money.ts';
import { nextReference } from '../../opportunities/reference.ts';
import { createTranslator } from '../../platform/i18n.ts';
import { delegatedLimitOf } from '../../opportunities/guards.ts';
import { attestationText } from '../../review/present.ts';
import { insertFundReservation } from '../../review/repo.ts';

/**
 * Development only: ESDC requests waiting in each queue before publication, walked through the
 * real lifecycle (transition(), guards, events) by the demo accounts, so every screen has work.
 */
interface DemoRequest {
  title: { en: string; fr: string };
  summary: { en: string; fr: string };
  description: { en: string; fr: string };
  skills: { en: string[]; fr: string[] };
  mandatory: { en: string; fr: string }[];
  acceptance: { en: string; fr: string }[];
  repositoryUrl: string;
  /** Each on its own cost centre: together they would pass $10,000 (contract splitting). */
  costCentre: string;
  priceCents: number;
  sourceLanguage: 'en' | 'fr';
  /** The steps taken so far, by whom. */
  steps: { action: OpportunityAction; by: 'client' | 'program' | 's32'; reason?: string }[];
}

const requests: DemoRequest[] = [
  {
    title: {
      en: 'Keyboard shortcuts for the Canada.ca search page',
      fr: 'Raccourcis clavier pour la page de recherche de Canada.ca',
    },
    summary: {
      en: 'Let keyboard users jump to the results and filters with documented shortcuts.',
      fr: 'Permettre aux utilisateurs du clavier d’atteindre les résultats et les filtres par des raccourcis documentés.',
    },
    description: {
      en: '### Background\n\nThe search page has 40 tab stops before the first result.\n\n### What we need\n\nShortcuts, a help dialog and tests.',
      fr: '### Contexte\n\nLa page de recherche compte 40 arrêts de tabulation avant le premier résultat.\n\n### Ce qu’il nous faut\n\nDes raccourcis, une boîte d’aide et des tests.',
    },
    skills: { en: ['JavaScript', 'Accessibility'], fr: ['JavaScript', 'Accessibilité'] },
    mandatory: [
      {
        en: 'A public pull request adding keyboard support to a web application',
        fr: 'Une demande de tirage publique ajoutant la prise en charge du clavier à une application Web',
      },
    ],
    acceptance: [
      {
        en: 'Every shortcut works in Chrome, Firefox and Safari, and axe reports no new violation.',
        fr: 'Chaque raccourci fonctionne dans Chrome, Firefox et Safari, et axe ne signale aucune nouvelle violation.',
      },
    ],
    repositoryUrl: 'https://github.com/esdc-demo/canada-search-shortcuts',
    costCentre: '102345',
    priceCents: 420_000,
    sourceLanguage: 'en',
    steps: [{ action: 'submit', by: 'client' }],
  },
  {
    title: {
      en: 'CSV export for the grants dashboard',
      fr: 'Exportation CSV pour le tableau de bord des subventions',
    },
    summary: {
      en: 'Add a CSV download of the filtered table to the open-source grants dashboard.',
      fr: 'Ajouter le téléchargement CSV du tableau filtré au tableau de bord libre des subventions.',
    },
    description: {
      en: '### Background\n\nAnalysts copy the table by hand.\n\n### What we need\n\nA download button that respects the filters.',
      fr: '### Contexte\n\nLes analystes copient le tableau à la main.\n\n### Ce qu’il nous faut\n\nUn bouton de téléchargement qui respecte les filtres.',
    },
    skills: { en: ['Python', 'Django'], fr: ['Python', 'Django'] },
    mandatory: [
      {
        en: 'Public Python code that writes CSV or spreadsheet files',
        fr: 'Du code Python public qui écrit des fichiers CSV ou des feuilles de calcul',
      },
    ],
    acceptance: [
      {
        en: 'The exported file opens in Excel with accents intact and matches the filtered table.',
        fr: 'Le fichier exporté s’ouvre dans Excel sans perte d’accents et correspond au tableau filtré.',
      },
    ],
    repositoryUrl: 'https://github.com/esdc-demo/grants-dashboard',
    costCentre: '102346',
    priceCents: 310_000,
    sourceLanguage: 'fr',
    steps: [
      { action: 'submit', by: 'client' },
      { action: 'screen', by: 'program' },
    ],
  },
  {
    title: {
      en: 'Plain-language checker for the content style guide',
      fr: 'Vérificateur de langage clair pour le guide de rédaction',
    },
    summary: {
      en: 'A command-line tool that flags long sentences and jargon in Markdown pages.',
      fr: 'Un outil en ligne de commande qui signale les phrases longues et le jargon dans les pages Markdown.',
    },
    description: {
      en: '### Background\n\nEditors check readability by hand.\n\n### What we need\n\nA checker that runs in our pipeline, in English and French.',
      fr: '### Contexte\n\nLes réviseurs vérifient la lisibilité à la main.\n\n### Ce qu’il nous faut\n\nUn vérificateur qui s’exécute dans notre pipeline, en anglais et en français.',
    },
    skills: { en: ['Node.js', 'Natural language'], fr: ['Node.js', 'Langage naturel'] },
    mandatory: [
      {
        en: 'A published command-line tool or library',
        fr: 'Un outil en ligne de commande ou une bibliothèque publiés',
      },
    ],
    acceptance: [
      {
        en: 'The tool reports the 12 known problems in the sample pages and no others.',
        fr: 'L’outil signale les 12 problèmes connus des pages d’exemple, et aucun autre.',
      },
    ],
    repositoryUrl: 'https://github.com/esdc-demo/plain-language-check',
    costCentre: '107810',
    priceCents: 650_000,
    sourceLanguage: 'en',
    steps: [
      { action: 'submit', by: 'client' },
      { action: 'screen', by: 'program' },
      { action: 'approve_funds', by: 's32' },
    ],
  },
];

async function actor(trx: Knex.Transaction, email: string): Promise<CurrentUser> {
  const user = await trx('users').where({ email }).first();
  return {
    id: user.id,
    email,
    kind: 'staff',
    displayName: user.display_name,
    language: user.preferred_language,
    grants: await activeGrants(trx, user.id),
  };
}

export async function seedDemoRequests(
  trx: Knex.Transaction,
  clock: Clock,
  departmentId: number,
): Promise<void> {
  const people = {
    client: await actor(trx, 'client@esdc.example.ca'),
    program: await actor(trx, 'program@esdc.example.ca'),
    s32: await actor(trx, 's32@esdc.example.ca'),
  };
  const now = clock.now();
  const today = easternDate(now);
  // Marc Gagnon, the demo section 32 manager, works in French: he attests in French.
  const frenchT = (await createTranslator()).t('fr');
  for (const r of requests) {
    // Only the client's language exists before translation, which comes after section 32.
    const [row] = await trx('opportunities')
      .insert({
        reference: await nextReference(trx, Number(today.slice(0, 4))),
        department_id: departmentId,
        requester_id: people.client.id,
        source_language: r.sourceLanguage,
        [`title_${r.sourceLanguage}`]: r.title[r.sourceLanguage],
        [`summary_${r.sourceLanguage}`]: r.summary[r.sourceLanguage],
        [`description_${r.sourceLanguage}`]: r.description[r.sourceLanguage],
        [`skills_${r.sourceLanguage}`]: r.skills[r.sourceLanguage],
        repository_url: r.repositoryUrl,
        licence: 'MIT',
        price_cents: r.priceCents,
        max_total_cents: maxTotalCents(r.priceCents),
        delivery_due_on: addBusinessDays(today, 45),
        cost_centre: r.costCentre,
        fund: '0100',
        gl_account: '52202',
        payment_method: 'paypal',
        completed_steps: ['1', '2', '3', '4', '5'],
        status: 'draft',
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    const id: number = row.id;
    for (const table of ['mandatory', 'acceptance'] as const) {
      await trx(`${table}_criteria`).insert(
        r[table].map((c, i) => ({
          opportunity_id: id,
          position: i + 1,
          [`text_${r.sourceLanguage}`]: c[r.sourceLanguage],
        })),
      );
    }
    let version = 1;
    for (const step of r.steps) {
      ({ version } = await transition(trx, opportunityMachine, {
        now: clock.now(),
        id: id,
        action: step.action,
        actor: people[step.by],
        expectedVersion: version,
        reason: step.reason,
      }));
    }
    if (r.steps.some((s) => s.action === 'approve_funds')) {
      await insertFundReservation(trx, {
        opportunityId: id,
        departmentId,
        reservationNumber: `FR-${randomBytes(3).toString('hex').toUpperCase()}`,
        amountCents: maxTotalCents(r.priceCents),
        costCentre: r.costCentre,
        fund: '0100',
        glAccount: '52202',
        delegatedLimitCents: delegatedLimitOf(people.s32, departmentId) ?? 0,
        attestation: attestationText(maxTotalCents(r.priceCents), 'fr', frenchT),
        attestationLanguage: 'fr',
        approvedBy: people.s32.id,
        approvedAt: now,
      });
    }
  }
}
