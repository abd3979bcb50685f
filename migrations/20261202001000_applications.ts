import type { Knex } from 'knex';

/**
 * What a supplier's application holds (issue 11, applying):
 *
 * - `attestation_texts`: the eligibility attestations' exact wording, one row per version and
 *   language, never changed once written (a new wording is a new version). The application keeps
 *   the id of the row it showed, so what the supplier attested is the text they read, in the
 *   language they read it.
 * - `application_answers`: one answer per mandatory criterion, anchored to the criterion's id and
 *   the version the supplier answered (an addendum that revises a criterion makes a new version).
 * - on `applications`: the page's language, the attestations given, the payment readiness read
 *   from the profile at submission, and when an addendum revised a criterion after submission
 *   (`criteria_changed_at`, cleared when the supplier confirms or revises).
 */
const wording = {
  en: {
    majority: 'I have reached the age of majority in my province or territory of residence.',
    status: 'I am allowed to work in Canada as:',
    citizen: 'a Canadian citizen',
    permanentResident: 'a permanent resident of Canada',
    workPermit: 'a person with a valid work permit for this work',
    indigenous:
      'an Indigenous person (First Nations, Inuit or Métis), including a person entitled to enter and work in Canada under the Jay Treaty',
    publicServant: 'I am a public servant (an employee of the federal public administration).',
    dgApproval:
      'I have the written approval of my director general to do this work, and I will provide it if asked.',
    formerPublicServant:
      'I am a former public servant (I left the federal public administration, with or without a pension).',
    conflict: 'I have a real, apparent or potential conflict of interest with this work.',
    conflictDetails: 'Describe the conflict of interest',
    yes: 'Yes',
    no: 'No',
  },
  fr: {
    majority: 'J’ai atteint l’âge de la majorité dans ma province ou mon territoire de résidence.',
    status: 'Je peux travailler au Canada à titre de :',
    citizen: 'citoyenne ou citoyen canadien',
    permanentResident: 'résidente permanente ou résident permanent du Canada',
    workPermit: 'personne titulaire d’un permis de travail valide pour ce travail',
    indigenous:
      'personne autochtone (Premières Nations, Inuit ou Métis), y compris une personne autorisée à entrer et à travailler au Canada en vertu du traité Jay',
    publicServant:
      'Je suis fonctionnaire (employée ou employé de l’administration publique fédérale).',
    dgApproval:
      'J’ai l’approbation écrite de ma directrice générale ou de mon directeur général pour faire ce travail, et je la fournirai sur demande.',
    formerPublicServant:
      'Je suis une ancienne fonctionnaire ou un ancien fonctionnaire (j’ai quitté l’administration publique fédérale, avec ou sans pension).',
    conflict: 'J’ai un conflit d’intérêts réel, apparent ou potentiel lié à ce travail.',
    conflictDetails: 'Décrivez le conflit d’intérêts',
    yes: 'Oui',
    no: 'Non',
  },
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attestation_texts', (t) => {
    t.bigIncrements('id');
    t.integer('version').notNullable();
    t.text('language').notNullable();
    t.jsonb('texts').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['version', 'language']);
  });
  await knex.raw(
    `ALTER TABLE attestation_texts ADD CONSTRAINT attestation_texts_language CHECK (language IN ('en', 'fr'))`,
  );
  await knex.raw(`
    CREATE FUNCTION attestation_text_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'attestation text % is kept as written: publish a new version', OLD.id;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER attestation_texts_kept BEFORE UPDATE OR DELETE ON attestation_texts
    FOR EACH ROW EXECUTE FUNCTION attestation_text_kept()`);
  await knex('attestation_texts').insert(
    (['en', 'fr'] as const).map((language) => ({
      version: 1,
      language,
      texts: JSON.stringify(wording[language]),
    })),
  );

  await knex.schema.alterTable('applications', (t) => {
    t.text('language').notNullable().defaultTo('en');
    t.bigInteger('attestation_text_id').references('attestation_texts.id');
    t.jsonb('attestations').notNullable().defaultTo('{}');
    t.boolean('pays_by_card');
    t.boolean('pays_by_paypal');
    t.timestamp('criteria_changed_at', { useTz: true });
    t.timestamp('reminded_for_closes_at', { useTz: true });
    t.index(['supplier_id']);
  });
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_language CHECK (language IN ('en', 'fr'))`,
  );

  await knex.schema.createTable('application_answers', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id');
    t.bigInteger('mandatory_criterion_id').notNullable().references('mandatory_criteria.id');
    t.integer('criterion_version').notNullable();
    t.text('answer').notNullable().defaultTo('');
    t.specificType('links', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['application_id', 'mandatory_criterion_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_answers');
  await knex.raw(`ALTER TABLE applications DROP CONSTRAINT applications_language`);
  await knex.schema.alterTable('applications', (t) => {
    t.dropIndex(['supplier_id']);
    for (const column of [
      'language',
      'attestation_text_id',
      'attestations',
      'pays_by_card',
      'pays_by_paypal',
      'criteria_changed_at',
      'reminded_for_closes_at',
    ])
      t.dropColumn(column);
  });
  await knex.raw(`DROP TRIGGER attestation_texts_kept ON attestation_texts`);
  await knex.raw(`DROP FUNCTION attestation_text_kept`);
  await knex.schema.dropTable('attestation_texts');
}
