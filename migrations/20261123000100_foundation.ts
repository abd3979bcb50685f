import type { Knex } from 'knex';

// Frozen copy of the statuses when this migration landed; later migrations change the CHECK.
const opportunityStatuses = [
  'draft',
  'submitted',
  'declined',
  'screened',
  'funds_approved',
  'translated',
  'ready',
  'published',
  'closed',
  'evaluated',
  'drawn',
  'awarded',
  'in_progress',
  'delivered',
  'revisions_requested',
  'accepted',
  'invoiced',
  'certified',
  'paid',
  'completed',
  'cancelled',
  'no_qualified_applicant',
  'terminated',
];

const CAP_CENTS = 1_000_000;

function bilingual(table: Knex.CreateTableBuilder, name: string, nullable = false): void {
  for (const lang of ['en', 'fr']) {
    const column = table.text(`${name}_${lang}`);
    if (!nullable) column.notNullable().defaultTo('');
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('departments', (t) => {
    t.increments('id');
    t.text('acronym_en').notNullable().unique();
    t.text('acronym_fr').notNullable().unique();
    t.text('name_en').notNullable();
    t.text('name_fr').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('opportunities', (t) => {
    t.bigIncrements('id');
    t.text('reference').notNullable().unique();
    t.integer('department_id').notNullable().references('departments.id');
    bilingual(t, 'title');
    bilingual(t, 'summary');
    bilingual(t, 'description');
    t.specificType('skills_en', 'text[]').notNullable().defaultTo('{}');
    t.specificType('skills_fr', 'text[]').notNullable().defaultTo('{}');
    t.text('repository_url').notNullable();
    t.text('licence').notNullable();
    t.integer('price_cents').notNullable();
    t.integer('max_total_cents').notNullable();
    t.timestamp('opens_at', { useTz: true });
    t.timestamp('closes_at', { useTz: true });
    t.date('delivery_due_on');
    t.text('status').notNullable().defaultTo('draft');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'closes_at']);
    t.index(['department_id']);
  });
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_reference_format CHECK (reference ~ '^MA-[0-9]{4}-[0-9]{4}$')`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_price_positive CHECK (price_cents > 0)`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_total_within_cap CHECK (max_total_cents >= price_cents AND max_total_cents <= ${CAP_CENTS})`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_status_known CHECK (status IN (${opportunityStatuses.map((s) => `'${s}'`).join(', ')}))`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_closes_after_opens CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_version_positive CHECK (version > 0)`,
  );

  for (const table of ['mandatory_criteria', 'acceptance_criteria']) {
    await knex.schema.createTable(table, (t) => {
      t.bigIncrements('id');
      t.bigInteger('opportunity_id')
        .notNullable()
        .references('opportunities.id')
        .onDelete('CASCADE');
      t.integer('position').notNullable();
      bilingual(t, 'text');
      t.unique(['opportunity_id', 'position']);
    });
  }

  await knex.schema.createTable('addenda', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id').onDelete('CASCADE');
    t.integer('number').notNullable();
    bilingual(t, 'summary');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['opportunity_id', 'number']);
  });

  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.text('entity_type').notNullable();
    t.bigInteger('entity_id').notNullable();
    t.text('from_state');
    t.text('to_state');
    t.text('action').notNullable();
    t.bigInteger('actor_id');
    t.text('reason');
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['entity_type', 'entity_id', 'at']);
  });
  await knex.raw(`
    CREATE FUNCTION forbid_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are append-only';
    END $$`);
  await knex.raw(`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION forbid_event_change()`);
  await knex.raw(`
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_event_change()`);

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.text('idempotency_key').notNullable().unique();
    t.text('template').notNullable();
    t.text('recipient').notNullable();
    t.text('language');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.index(['status', 'next_attempt_at']);
  });
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_status_known CHECK (status IN ('pending', 'sent', 'failed'))`,
  );
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_language_known CHECK (language IS NULL OR language IN ('en', 'fr'))`,
  );

  // Rendered public pages are cached in each app process; this tells every process to drop them.
  await knex.raw(`
    CREATE FUNCTION notify_public_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('public_content_changed', TG_TABLE_NAME);
      RETURN NULL;
    END $$`);
  for (const table of [
    'departments',
    'opportunities',
    'mandatory_criteria',
    'acceptance_criteria',
    'addenda',
  ]) {
    await knex.raw(`
      CREATE TRIGGER ${table}_public_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION notify_public_content_changed()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox');
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('addenda');
  await knex.schema.dropTable('acceptance_criteria');
  await knex.schema.dropTable('mandatory_criteria');
  await knex.schema.dropTable('opportunities');
  await knex.schema.dropTable('departments');
  await knex.raw('DROP FUNCTION forbid_event_change');
  await knex.raw('DROP FUNCTION notify_public_content_changed');
}
