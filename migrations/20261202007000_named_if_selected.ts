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
  // Only a change the public pages can show: the choice itself, or the name of someone who chose
  // to be named. A sign-up's new profile, or a profile save that changes nothing shown, leaves
  // the cache alone (anyone can sign up, and the cache must not be emptied at will).
  await knex.raw(`
    CREATE TRIGGER supplier_profiles_public_content_changed
    AFTER UPDATE ON supplier_profiles FOR EACH ROW
    WHEN (OLD.named_if_selected IS DISTINCT FROM NEW.named_if_selected
      OR (NEW.named_if_selected AND (OLD.business_name IS DISTINCT FROM NEW.business_name
        OR OLD.legal_name IS DISTINCT FROM NEW.legal_name)))
    EXECUTE FUNCTION notify_public_content_changed()`);
  await knex.raw(`
    CREATE TRIGGER supplier_profiles_named_removed AFTER DELETE ON supplier_profiles
    FOR EACH ROW WHEN (OLD.named_if_selected)
    EXECUTE FUNCTION notify_public_content_changed()`);
  await knex.raw(`
    CREATE TRIGGER users_public_content_changed AFTER UPDATE OF display_name ON users
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION notify_public_content_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER users_public_content_changed ON users');
  await knex.raw('DROP TRIGGER supplier_profiles_named_removed ON supplier_profiles');
  await knex.raw('DROP TRIGGER supplier_profiles_public_content_changed ON supplier_profiles');
  await knex.schema.alterTable('supplier_profiles', (t) => t.dropColumn('named_if_selected'));
}
