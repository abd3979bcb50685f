import type { Knex } from 'knex';

/**
 * Review H2, in the database where it must never fail:
 * - nobody grants a role to themselves (`granted_by` is never the grant's own user);
 * - section 32, section 34, finance and department administrator grants name a second person
 *   (`confirmed_by`) who is neither the grantee nor the administrator who proposed it;
 * - whoever grants or confirms administers the department (or the platform).
 * A NULL `granted_by` is the system's own set-up (the demo seed, a first administrator). The
 * rules are a trigger on INSERT and on the columns that say who and what, so revoking a grant
 * made before them (revoked_at, revoked_by) is never refused.
 *
 * The proposals that await the second administrator are a lifecycle record of their own
 * (src/admin/grant-proposal-machine.ts): their status changes only with an event, checked at
 * commit like the other lifecycle tables. Departments gain the email domains their staff may be
 * invited from.
 */
// Frozen copy of the list when this migration landed (src/admin/grant-proposal-machine.ts).
const confirmedRoles = [
  'section32_manager',
  'section34_manager',
  'finance_officer',
  'department_admin',
];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('departments', (t) => {
    t.specificType('email_domains', 'text[]').notNullable().defaultTo('{}');
  });

  await knex.schema.alterTable('role_grants', (t) => {
    t.bigInteger('confirmed_by').references('users.id');
    t.text('delegation_reference');
  });
  await knex.raw(`
    CREATE FUNCTION role_grant_people() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.granted_by IS NULL THEN
        IF NEW.confirmed_by IS NOT NULL THEN
          RAISE EXCEPTION 'role grant %: a confirmed grant names who proposed it', NEW.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END IF;
      IF NEW.granted_by = NEW.user_id THEN
        RAISE EXCEPTION 'role grant %: nobody grants a role to themselves', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.role IN (${quoted(confirmedRoles)})
         AND (NEW.confirmed_by IS NULL OR NEW.confirmed_by IN (NEW.granted_by, NEW.user_id)) THEN
        RAISE EXCEPTION 'role grant %: % needs a second administrator''s confirmation', NEW.id, NEW.role
          USING ERRCODE = 'check_violation';
      END IF;
      IF EXISTS (
        SELECT 1 FROM unnest(ARRAY[NEW.granted_by, NEW.confirmed_by]) AS who(id)
        WHERE who.id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM role_grants g
          WHERE g.user_id = who.id AND g.revoked_at IS NULL
            AND (g.role = 'platform_admin'
                 OR (g.role = 'department_admin' AND g.department_id = NEW.department_id)))
      ) THEN
        RAISE EXCEPTION 'role grant %: only an administrator of the department grants or confirms', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER role_grants_people
    BEFORE INSERT OR UPDATE OF user_id, department_id, role, granted_by, confirmed_by ON role_grants
    FOR EACH ROW EXECUTE FUNCTION role_grant_people()`);

  await knex.schema.createTable('role_grant_proposals', (t) => {
    t.bigIncrements('id');
    t.integer('department_id').notNullable().references('departments.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('role').notNullable();
    t.integer('delegated_limit_cents');
    t.text('delegation_reference');
    t.bigInteger('proposed_by').notNullable().references('users.id');
    t.bigInteger('decided_by').references('users.id');
    t.bigInteger('grant_id').references('role_grants.id');
    // Proposed with an invitation: the invitation email leaves once the grant is confirmed.
    t.boolean('invited').notNullable().defaultTo(false);
    t.text('status').notNullable();
    t.integer('version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['department_id', 'status']);
  });
  await knex.raw(`
    ALTER TABLE role_grant_proposals
      ADD CONSTRAINT role_grant_proposals_role_known CHECK (role IN (${quoted(confirmedRoles)})),
      ADD CONSTRAINT role_grant_proposals_status_known CHECK (status IN ('proposed', 'confirmed', 'declined')),
      ADD CONSTRAINT role_grant_proposals_section32_limit CHECK (role <> 'section32_manager' OR delegated_limit_cents > 0),
      ADD CONSTRAINT role_grant_proposals_not_self CHECK (proposed_by <> user_id),
      ADD CONSTRAINT role_grant_proposals_confirmed_by_another CHECK (decided_by IS NULL OR status <> 'confirmed' OR (decided_by <> proposed_by AND decided_by <> user_id))`);
  await knex.raw(
    `CREATE UNIQUE INDEX role_grant_proposals_one_open ON role_grant_proposals (user_id, department_id, role) WHERE status = 'proposed'`,
  );
  // The function of 20261201000700_status_needs_event: the latest status event names the status.
  await knex.raw(`
    CREATE CONSTRAINT TRIGGER role_grant_proposals_status_has_event
    AFTER INSERT OR UPDATE OF status ON role_grant_proposals
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION require_status_event('role_grant_proposal')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('role_grant_proposals');
  await knex.raw('DROP TRIGGER role_grants_people ON role_grants');
  await knex.raw('DROP FUNCTION role_grant_people');
  await knex.schema.alterTable('role_grants', (t) => {
    t.dropColumns('confirmed_by', 'delegation_reference');
  });
  await knex.schema.alterTable('departments', (t) => t.dropColumn('email_domains'));
}
