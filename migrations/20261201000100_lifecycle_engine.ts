import type { Knex } from 'knex';

/**
 * One lifecycle engine for every entity. The opportunity keeps only the posting's states (the
 * contract, the invoice and the payment get tables and states of their own); every event carries
 * the opportunity and the department of its file, and the FAA duty it performed, so segregation
 * of duties reads the whole file's history whatever entity an event is about.
 *
 * Frozen copies of the state lists as this migration lands; later migrations change the CHECKs.
 */
const opportunityStates = [
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
  'completed',
  'cancelled',
  'no_qualified_applicant',
  'terminated',
];
const applicationStates = ['draft', 'submitted', 'withdrawn', 'passed', 'failed'];
const contractStates = [
  'offered',
  'declined',
  'lapsed',
  'in_progress',
  'delivered',
  'accepted',
  'completed',
  'terminated',
];
const invoiceStates = ['submitted', 'returned', 'certified', 'paid'];
const paymentStates = ['pending', 'failed', 'paid', 'confirmed'];
const lifecycleEntities = ['opportunity', 'application', 'contract', 'invoice', 'payment'];
const duties = ['request', 'approve_funds', 'evaluate', 'certify', 'pay'];

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The columns every stateful record has: its file, its state and an optimistic-lock version. */
function stateful(t: Knex.CreateTableBuilder): void {
  t.bigIncrements('id');
  t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
  t.integer('department_id').notNullable().references('departments.id');
  t.text('status').notNullable();
  t.integer('version').notNullable().defaultTo(1);
  t.timestamp('created_at', { useTz: true }).notNullable();
  t.timestamp('updated_at', { useTz: true }).notNullable();
  t.index(['opportunity_id']);
}

async function checkStates(knex: Knex, table: string, states: readonly string[]): Promise<void> {
  await knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_status_known CHECK (status IN (${list(states)}))`,
  );
  await knex.raw(
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_version_positive CHECK (version > 0)`,
  );
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_status_known`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_status_known CHECK (status IN (${list(opportunityStates)}))`,
  );

  await knex.schema.createTable('applications', (t) => {
    stateful(t);
    t.bigInteger('supplier_id').notNullable().references('users.id');
    t.timestamp('submitted_at', { useTz: true });
    t.unique(['opportunity_id', 'supplier_id']);
  });
  await checkStates(knex, 'applications', applicationStates);

  // One contract per offer: a decline, a lapse or a termination goes to the next in the draw order.
  await knex.schema.createTable('contracts', (t) => {
    stateful(t);
    t.bigInteger('application_id').notNullable().references('applications.id');
    t.bigInteger('supplier_id').notNullable().references('users.id');
    t.integer('draw_position').notNullable();
    t.unique(['opportunity_id', 'draw_position']);
  });
  await checkStates(knex, 'contracts', contractStates);
  // At most one offer is live (offered or under way) per opportunity at any time.
  await knex.raw(
    `CREATE UNIQUE INDEX contracts_one_live_offer ON contracts (opportunity_id) WHERE status IN ('offered', 'in_progress', 'delivered', 'accepted')`,
  );

  await knex.schema.createTable('invoices', (t) => {
    stateful(t);
    t.bigInteger('contract_id').notNullable().references('contracts.id');
    t.bigInteger('supplier_id').notNullable().references('users.id');
    t.integer('amount_cents').notNullable();
  });
  await checkStates(knex, 'invoices', invoiceStates);
  await knex.raw(`ALTER TABLE invoices ADD CONSTRAINT invoices_amount CHECK (amount_cents > 0)`);

  await knex.schema.createTable('payments', (t) => {
    stateful(t);
    t.bigInteger('invoice_id').notNullable().references('invoices.id');
    t.bigInteger('supplier_id').notNullable().references('users.id');
    t.integer('amount_cents').notNullable();
  });
  await checkStates(knex, 'payments', paymentStates);
  await knex.raw(`ALTER TABLE payments ADD CONSTRAINT payments_amount CHECK (amount_cents > 0)`);

  // A segregation override: proposed with a reason, effective once a second person confirms it.
  await knex.schema.createTable('segregation_overrides', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.integer('department_id').notNullable().references('departments.id');
    t.text('entity_type').notNullable();
    t.bigInteger('entity_id').notNullable();
    t.text('action').notNullable();
    t.bigInteger('actor_id').notNullable().references('users.id');
    t.bigInteger('proposed_by').notNullable().references('users.id');
    t.text('reason').notNullable();
    t.timestamp('proposed_at', { useTz: true }).notNullable();
    t.bigInteger('confirmed_by').references('users.id');
    t.timestamp('confirmed_at', { useTz: true });
    t.bigInteger('used_event_id');
    t.timestamp('withdrawn_at', { useTz: true });
    t.index(['entity_type', 'entity_id', 'action']);
  });
  await knex.raw(
    `ALTER TABLE segregation_overrides ADD CONSTRAINT segregation_overrides_second_person CHECK (confirmed_by IS NULL OR (confirmed_by <> proposed_by AND confirmed_by <> actor_id))`,
  );
  await knex.raw(
    `ALTER TABLE segregation_overrides ADD CONSTRAINT segregation_overrides_reason CHECK (char_length(trim(reason)) >= 20)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX segregation_overrides_one_pending ON segregation_overrides (entity_type, entity_id, action, actor_id) WHERE used_event_id IS NULL AND withdrawn_at IS NULL`,
  );

  await knex.schema.alterTable('events', (t) => {
    t.bigInteger('opportunity_id').references('opportunities.id');
    t.integer('department_id').references('departments.id');
    t.text('duty');
    t.index(['opportunity_id', 'id']);
  });
  // Events are append-only: lift the guard for the one backfill, inside this migration.
  await knex.raw(`ALTER TABLE events DISABLE TRIGGER events_append_only`);
  await knex.raw(`
    UPDATE events e SET opportunity_id = o.id, department_id = o.department_id,
      duty = CASE e.action WHEN 'submit' THEN 'request' WHEN 'approve_funds' THEN 'approve_funds' END
    FROM opportunities o WHERE e.entity_type = 'opportunity' AND o.id = e.entity_id`);
  await knex.raw(`
    UPDATE events SET department_id = entity_id
    WHERE entity_type = 'department' AND department_id IS NULL`);
  await knex.raw(`ALTER TABLE events ENABLE TRIGGER events_append_only`);
  await knex.raw(
    `ALTER TABLE events ADD CONSTRAINT events_file_known CHECK (entity_type NOT IN (${list(lifecycleEntities)}) OR (opportunity_id IS NOT NULL AND department_id IS NOT NULL))`,
  );
  await knex.raw(
    `ALTER TABLE events ADD CONSTRAINT events_duty_known CHECK (duty IS NULL OR duty IN (${list(duties)}))`,
  );
  await knex.raw(
    `ALTER TABLE events ADD CONSTRAINT events_duty_has_actor CHECK (duty IS NULL OR actor_id IS NOT NULL)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE events DROP CONSTRAINT events_duty_has_actor`);
  await knex.raw(`ALTER TABLE events DROP CONSTRAINT events_duty_known`);
  await knex.raw(`ALTER TABLE events DROP CONSTRAINT events_file_known`);
  await knex.schema.alterTable('events', (t) => {
    t.dropIndex(['opportunity_id', 'id']);
    t.dropColumns('opportunity_id', 'department_id', 'duty');
  });
  await knex.schema.dropTable('segregation_overrides');
  for (const table of ['payments', 'invoices', 'contracts', 'applications']) {
    await knex.schema.dropTable(table);
  }
}
