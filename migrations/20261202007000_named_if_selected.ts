import type { Knex } from 'knex';

/**
 * The supplier's choice to be named on an opportunity's public results if they are selected
 * (issue 11, item 7). Off unless they tick it: nobody is named publicly without choosing to be.
 * The public pages show that name, so a change to the choice or to the name drops the cached
 * pages (a closed account's profile is deleted, which drops them too).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('supplier_profiles', (t) => {
    t.boolean('named_if_selected').notNullable().defaultTo(false);
  });
  await knex.raw(`
    CREATE TRIGGER supplier_profiles_public_content_changed
    AFTER INSERT OR DELETE OR UPDATE OF named_if_selected, business_name, legal_name ON supplier_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_content_changed()`);
  await knex.raw(`
    CREATE TRIGGER users_public_content_changed AFTER UPDATE OF display_name ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_content_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER users_public_content_changed ON users');
  await knex.raw('DROP TRIGGER supplier_profiles_public_content_changed ON supplier_profiles');
  await knex.schema.alterTable('supplier_profiles', (t) => t.dropColumn('named_if_selected'));
}
