import type { Db } from '../../src/db/knex.ts';

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
