import type { Knex } from 'knex';

/**
 * A status that no event explains cannot be committed: at the end of every transaction that
 * inserts a lifecycle record or changes its status, the record's latest status event must name
 * the status it has then. transition() and create() write both in one transaction; a direct
 * INSERT or UPDATE of a status anywhere else (seed, fixture, hand-written SQL) is refused.
 */
const tables = {
  opportunities: 'opportunity',
  applications: 'application',
  contracts: 'contract',
  invoices: 'invoice',
  payments: 'payment',
} as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION require_status_event() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      current_status text;
      latest text;
    BEGIN
      EXECUTE format('SELECT status FROM %I WHERE id = $1', TG_TABLE_NAME)
        INTO current_status USING NEW.id;
      IF current_status IS NULL THEN
        RETURN NULL;
      END IF;
      SELECT to_state INTO latest FROM events
        WHERE entity_type = TG_ARGV[0] AND entity_id = NEW.id AND to_state IS NOT NULL
        ORDER BY id DESC LIMIT 1;
      IF latest IS DISTINCT FROM current_status THEN
        RAISE EXCEPTION '% % is %, but its last event says %: statuses change through the lifecycle only',
          TG_ARGV[0], NEW.id, current_status, coalesce(latest, 'nothing');
      END IF;
      RETURN NULL;
    END $$`);
  for (const [table, entity] of Object.entries(tables)) {
    await knex.raw(`
      CREATE CONSTRAINT TRIGGER ${table}_status_has_event
      AFTER INSERT OR UPDATE OF status ON ${table}
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION require_status_event('${entity}')`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(tables)) {
    await knex.raw(`DROP TRIGGER ${table}_status_has_event ON ${table}`);
  }
  await knex.raw('DROP FUNCTION require_status_event');
}
