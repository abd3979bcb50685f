import type { Knex } from 'knex';

/**
 * The French attestation wording, version 2: a no-break space before the colon (« à titre
 * de : »), as Canadian French typography wants. Version 1 stays as it was written: applications
 * that showed it keep it.
 */
export async function up(knex: Knex): Promise<void> {
  const first = await knex('attestation_texts').where({ language: 'fr', version: 1 }).first();
  const texts = first.texts as Record<string, string>;
  await knex('attestation_texts').insert({
    version: 2,
    language: 'fr',
    texts: JSON.stringify({ ...texts, status: texts.status!.replace(/ :$/, '\u00a0:') }),
  });
}

export async function down(knex: Knex): Promise<void> {
  // The table keeps every wording (a trigger refuses deletes): lift it for this one row only.
  await knex.raw('ALTER TABLE attestation_texts DISABLE TRIGGER attestation_texts_kept');
  await knex('attestation_texts').where({ language: 'fr', version: 2 }).delete();
  await knex.raw('ALTER TABLE attestation_texts ENABLE TRIGGER attestation_texts_kept');
}
