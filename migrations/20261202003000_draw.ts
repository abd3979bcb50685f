import type { Knex } from 'knex';

/**
 * The draw that nobody can steer and anyone can check (issue 11, item 6). The database holds the
 * formulas too, so a row that does not follow them cannot exist, whatever code writes it:
 *
 * - `draw_commitments`: at publishing, SHA-256 of a 256-bit secret; the secret itself only
 *   encrypted (AES-256-GCM, the key is configuration, never in the database) until the draw
 *   reveals it, once, and only a secret whose SHA-256 is the commitment.
 * - `draw_fingerprints`: one per submitted application, SHA-256 of `reference:nonce`; no
 *   insert once the opportunity's list is fixed, never changed or deleted.
 * - `draw_fingerprint_lists`: the list fixed at closing (sorted) and the SHA-256 of its lines.
 * - `draw_results`: the order, each fingerprint with its HMAC and rank; only fingerprints of the
 *   fixed list, each once, never changed.
 */

const HEX64 = (column: string) => `${column} ~ '^[0-9a-f]{64}$'`;

const PUBLIC_TABLES = ['draw_commitments', 'draw_fingerprint_lists', 'draw_results'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('draw_commitments', (t) => {
    t.bigInteger('opportunity_id').primary().references('opportunities.id');
    t.bigInteger('department_id').notNullable().references('departments.id');
    t.text('commitment').notNullable();
    t.binary('secret_iv').notNullable();
    t.binary('secret_ciphertext').notNullable();
    t.binary('secret_tag').notNullable();
    // Which DRAW_KEY encrypted it (a hash of the key): a wrong key is named, not a bad tag.
    t.text('key_id').notNullable();
    t.timestamp('committed_at', { useTz: true }).notNullable();
    t.text('secret');
    t.timestamp('revealed_at', { useTz: true });
  });
  await knex.raw(`
    ALTER TABLE draw_commitments
      ADD CONSTRAINT draw_commitments_hex CHECK (${HEX64('commitment')} AND (secret IS NULL OR ${HEX64('secret')})),
      ADD CONSTRAINT draw_commitments_sizes CHECK (octet_length(secret_iv) = 12 AND octet_length(secret_ciphertext) = 32 AND octet_length(secret_tag) = 16),
      ADD CONSTRAINT draw_commitments_revealed CHECK ((secret IS NULL) = (revealed_at IS NULL)),
      ADD CONSTRAINT draw_commitments_kept CHECK (secret IS NULL OR encode(sha256(decode(secret, 'hex')), 'hex') = commitment)`);
  await knex.raw(`
    CREATE FUNCTION draw_commitment_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the draw commitment of opportunity % is kept', OLD.opportunity_id;
      END IF;
      IF OLD.secret IS NOT NULL
        OR (NEW.opportunity_id, NEW.department_id, NEW.commitment, NEW.secret_iv, NEW.secret_ciphertext, NEW.secret_tag, NEW.key_id, NEW.committed_at)
          IS DISTINCT FROM
           (OLD.opportunity_id, OLD.department_id, OLD.commitment, OLD.secret_iv, OLD.secret_ciphertext, OLD.secret_tag, OLD.key_id, OLD.committed_at)
      THEN
        RAISE EXCEPTION 'the draw commitment of opportunity % is kept: only its secret is revealed, once', OLD.opportunity_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER draw_commitments_kept BEFORE UPDATE OR DELETE ON draw_commitments
    FOR EACH ROW EXECUTE FUNCTION draw_commitment_kept()`);

  await knex.schema.createTable('draw_fingerprints', (t) => {
    t.bigIncrements('id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.bigInteger('department_id').notNullable().references('departments.id');
    t.bigInteger('application_id').notNullable().unique().references('applications.id');
    t.text('reference').notNullable();
    t.text('nonce').notNullable();
    t.text('fingerprint').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['opportunity_id']);
  });
  await knex.raw(`
    ALTER TABLE draw_fingerprints
      ADD CONSTRAINT draw_fingerprints_hex CHECK (${HEX64('nonce')} AND ${HEX64('fingerprint')}),
      ADD CONSTRAINT draw_fingerprints_formula CHECK (fingerprint = encode(sha256(convert_to(reference || ':' || nonce, 'UTF8')), 'hex'))`);

  await knex.schema.createTable('draw_fingerprint_lists', (t) => {
    t.bigInteger('opportunity_id').primary().references('opportunities.id');
    t.bigInteger('department_id').notNullable().references('departments.id');
    t.specificType('fingerprints', 'text[]').notNullable();
    t.text('list_hash').notNullable();
    t.timestamp('fixed_at', { useTz: true }).notNullable();
  });
  await knex.raw(`
    ALTER TABLE draw_fingerprint_lists
      ADD CONSTRAINT draw_fingerprint_lists_hash CHECK (list_hash = encode(sha256(convert_to(array_to_string(fingerprints, E'\\n'), 'UTF8')), 'hex'))`);

  // A fingerprint comes with its application's submission, before the list is fixed; the share
  // lock on the opportunity waits for a closing under way (it holds the row for update), so a
  // submission and the closing cannot both pass.
  await knex.raw(`
    CREATE FUNCTION draw_fingerprint_in_time() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'the fingerprint of application % is kept', OLD.application_id;
      END IF;
      PERFORM 1 FROM opportunities WHERE id = NEW.opportunity_id FOR SHARE;
      IF NOT EXISTS (SELECT 1 FROM applications WHERE id = NEW.application_id AND opportunity_id = NEW.opportunity_id) THEN
        RAISE EXCEPTION 'application % is not one of opportunity %', NEW.application_id, NEW.opportunity_id;
      END IF;
      IF EXISTS (SELECT 1 FROM draw_fingerprint_lists WHERE opportunity_id = NEW.opportunity_id) THEN
        RAISE EXCEPTION 'the fingerprint list of opportunity % is fixed: no fingerprint is added after closing', NEW.opportunity_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER draw_fingerprints_in_time BEFORE INSERT OR UPDATE OR DELETE ON draw_fingerprints
    FOR EACH ROW EXECUTE FUNCTION draw_fingerprint_in_time()`);

  await knex.schema.createTable('draw_results', (t) => {
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.bigInteger('department_id').notNullable().references('departments.id');
    t.integer('rank').notNullable();
    t.bigInteger('application_id').notNullable().unique().references('applications.id');
    t.text('fingerprint').notNullable();
    t.text('hmac').notNullable();
    t.timestamp('drawn_at', { useTz: true }).notNullable();
    t.primary(['opportunity_id', 'rank']);
    t.unique(['opportunity_id', 'fingerprint']);
  });
  await knex.raw(`
    ALTER TABLE draw_results
      ADD CONSTRAINT draw_results_rank CHECK (rank >= 1),
      ADD CONSTRAINT draw_results_hex CHECK (${HEX64('fingerprint')} AND ${HEX64('hmac')})`);
  await knex.raw(`
    CREATE FUNCTION draw_result_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'the draw of opportunity % is kept', OLD.opportunity_id;
      END IF;
      IF NOT EXISTS (
        SELECT 1 FROM draw_fingerprint_lists l
        JOIN draw_fingerprints f ON f.opportunity_id = l.opportunity_id
        WHERE l.opportunity_id = NEW.opportunity_id
          AND f.application_id = NEW.application_id
          AND f.fingerprint = NEW.fingerprint
          AND NEW.fingerprint = ANY (l.fingerprints)
      ) THEN
        RAISE EXCEPTION 'application % is not on the fixed fingerprint list of opportunity %', NEW.application_id, NEW.opportunity_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER draw_results_kept BEFORE INSERT OR UPDATE OR DELETE ON draw_results
    FOR EACH ROW EXECUTE FUNCTION draw_result_kept()`);
  await knex.raw(`
    CREATE TRIGGER draw_fingerprint_lists_kept BEFORE UPDATE OR DELETE ON draw_fingerprint_lists
    FOR EACH ROW EXECUTE FUNCTION draw_result_kept()`);

  for (const table of PUBLIC_TABLES) {
    await knex.raw(`
      CREATE TRIGGER ${table}_public_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION notify_public_content_changed()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['draw_results', 'draw_fingerprint_lists', 'draw_fingerprints']) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.dropTable('draw_commitments');
  await knex.raw('DROP FUNCTION draw_result_kept');
  await knex.raw('DROP FUNCTION draw_fingerprint_in_time');
  await knex.raw('DROP FUNCTION draw_commitment_kept');
}
