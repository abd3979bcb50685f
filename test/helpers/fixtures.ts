import type { Db } from '../../src/db/knex.ts';
import { publicStatuses, type OpportunityStatus } from '../../src/opportunities/states.ts';
import { maxTotalCents } from '../../src/platform/money.ts';

export async function insertDepartment(
  db: Db,
  acronym: { en: string; fr: string } = { en: 'ESDC', fr: 'EDSC' },
): Promise<number> {
  const [row] = await db('departments')
    .insert({
      acronym_en: acronym.en,
      acronym_fr: acronym.fr,
      name_en: `${acronym.en} department`,
      name_fr: `Ministère ${acronym.fr}`,
      cost_centres: ['100234', '100235'],
      payment_methods: ['card_direct', 'card_paypal_checkout', 'paypal_payout'],
      card_exemption_reference: 'CFO-2026-017',
    })
    .returning('id');
  return row.id;
}

export interface OpportunityFixture {
  reference: string;
  departmentId: number;
  status?: OpportunityStatus;
  titleEn?: string;
  titleFr?: string;
  descriptionEn?: string;
  priceCents?: number;
  opensAt?: string;
  closesAt?: string;
  requesterId?: number;
}

/**
 * An opportunity row in the given state. The database refuses a public state without a held
 * section 32 reservation, which needs the row first: a public one is inserted as 'ready', given
 * its reservation, then moved to its state.
 */
export async function insertOpportunity(db: Db, o: OpportunityFixture): Promise<number> {
  const price = o.priceCents ?? 650_000;
  const status = o.status ?? 'published';
  const isPublic = publicStatuses.includes(status);
  const [row] = await db('opportunities')
    .insert({
      reference: o.reference,
      department_id: o.departmentId,
      title_en: o.titleEn ?? `Fix the form validator (${o.reference})`,
      title_fr: o.titleFr ?? `Corriger le validateur de formulaires (${o.reference})`,
      summary_en: 'Add French messages to the validator.',
      summary_fr: 'Ajouter des messages en français au validateur.',
      description_en: o.descriptionEn ?? '### Background\n\nThe validator only speaks English.',
      description_fr: '### Contexte\n\nLe validateur ne parle qu’anglais.',
      skills_en: ['TypeScript', 'Accessibility'],
      skills_fr: ['TypeScript', 'Accessibilité'],
      repository_url: 'https://github.com/canada-ca/example-validator',
      licence: 'MIT',
      price_cents: price,
      opens_at: o.opensAt ?? '2026-11-16T19:00:00Z',
      closes_at: o.closesAt ?? '2026-12-04T19:00:00Z',
      delivery_due_on: '2027-01-29',
      status: isPublic ? 'ready' : status,
      requester_id: o.requesterId ?? null,
      cost_centre: '100234',
      fund: '1000',
      gl_account: '52202',
      payment_method: 'paypal_payout',
    })
    .returning('id');
  const id: number = row.id;
  await db('mandatory_criteria').insert([
    {
      opportunity_id: id,
      position: 1,
      text_en: 'A merged pull request in TypeScript',
      text_fr: 'Une demande de tirage fusionnée en TypeScript',
    },
    {
      opportunity_id: id,
      position: 2,
      text_en: 'Experience with i18n',
      text_fr: 'Expérience de l’internationalisation',
    },
  ]);
  await db('acceptance_criteria').insert([
    {
      opportunity_id: id,
      position: 1,
      text_en: 'All tests pass',
      text_fr: 'Tous les tests réussissent',
    },
  ]);
  if (isPublic) {
    await db('fund_reservations').insert({
      opportunity_id: id,
      department_id: o.departmentId,
      reservation_number: `FR-${o.reference}`,
      amount_cents: maxTotalCents(price),
      cost_centre: '100234',
      fund: '1000',
      gl_account: '52202',
      delegated_limit_cents: 1_000_000,
      attestation: 'I attest that funds are available.',
      approved_by: await fundsApprover(db),
      approved_at: '2026-11-10T15:00:00Z',
    });
    await db('opportunities').where({ id }).update({ status });
  }
  return id;
}

/** Whoever approved the fixtures' reservations: a staff account of its own, made once. */
async function fundsApprover(db: Db): Promise<number> {
  const email = 'fixture-section32@example.gc.ca';
  const found = await db('users').where({ email }).first('id');
  if (found) return found.id;
  const [row] = await db('users')
    .insert({ email, kind: 'staff', display_name: 'Fixture section 32 manager' })
    .returning('id');
  return row.id;
}
