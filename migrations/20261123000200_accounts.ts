import type { Knex } from 'knex';

// Frozen copies of the lists when this migration landed.
const roles = [
  'client',
  'program_officer',
  'section32_manager',
  'section34_manager',
  'finance_officer',
  'department_admin',
  'platform_admin',
];
const provinces = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('kind').notNullable();
    t.text('display_name').notNullable().defaultTo('');
    t.text('password_hash');
    t.timestamp('email_confirmed_at', { useTz: true });
    t.text('preferred_language').notNullable().defaultTo('en');
    t.text('github_id').unique();
    t.text('oidc_subject').unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_kind_known CHECK (kind IN ('supplier', 'staff'))`,
  );
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_language_known CHECK (preferred_language IN ('en', 'fr'))`,
  );

  await knex.schema.createTable('supplier_profiles', (t) => {
    t.bigInteger('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('legal_name').notNullable().defaultTo('');
    t.text('supplier_type').notNullable().defaultTo('individual');
    t.text('business_name');
    t.text('gst_hst_number');
    t.text('province');
    t.text('github_handle');
    t.text('gitlab_handle');
    t.boolean('accepts_card').notNullable().defaultTo(false);
    t.text('paypal_email');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE supplier_profiles ADD CONSTRAINT supplier_type_known CHECK (supplier_type IN ('individual', 'business'))`,
  );
  await knex.raw(
    `ALTER TABLE supplier_profiles ADD CONSTRAINT supplier_province_known CHECK (province IS NULL OR province IN (${quoted(provinces)}))`,
  );

  await knex.schema.alterTable('departments', (t) => {
    t.specificType('cost_centres', 'text[]').notNullable().defaultTo('{}');
    t.specificType('payment_methods', 'text[]').notNullable().defaultTo('{card,paypal}');
    t.text('card_exemption_reference');
  });

  await knex.schema.createTable('role_grants', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.integer('department_id').references('departments.id');
    t.text('role').notNullable();
    t.integer('delegated_limit_cents');
    t.bigInteger('granted_by').references('users.id');
    t.timestamp('granted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('revoked_by').references('users.id');
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_known CHECK (role IN (${quoted(roles)}))`,
  );
  await knex.raw(
    `ALTER TABLE role_grants ADD CONSTRAINT role_grants_scope CHECK ((role = 'platform_admin') = (department_id IS NULL))`,
  );
  await knex.raw(
    `ALTER TABLE role_grants ADD CONSTRAINT role_grants_section32_limit CHECK (role <> 'section32_manager' OR delegated_limit_cents > 0)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX role_grants_active_unique ON role_grants (user_id, coalesce(department_id, 0), role) WHERE revoked_at IS NULL`,
  );

  await knex.schema.createTable('account_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_known CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation'))`,
  );

  await knex.schema.createTable('sign_in_failures', (t) => {
    t.bigIncrements('id');
    t.text('email_key').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['email_key', 'at']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.text('sid').primary();
    t.jsonb('data').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable('rate_limits', (t) => {
    t.text('key').primary();
    t.integer('hits').notNullable();
    t.timestamp('reset_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('events', (t) => {
    t.foreign('actor_id').references('users.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => t.dropForeign('actor_id'));
  for (const table of [
    'rate_limits',
    'sessions',
    'sign_in_failures',
    'account_tokens',
    'role_grants',
    'supplier_profiles',
    'users',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('departments', (t) => {
    t.dropColumns('cost_centres', 'payment_methods', 'card_exemption_reference');
  });
}
