import type { Knex } from 'knex';

/**
 * The contract-splitting check compares repositories by their canonical `host/owner/name`
 * (security review L5): `https://GitHub.com:443//Org/Repo.git/tree/main?x=1#a` is
 * `github.com/org/repo`. The database derives it, as it derives `max_total_cents`, so no way of
 * writing a request can forget it, and existing rows get it now.
 *
 * Lower case; `\` read as `/` (as a browser does for https); user name, password and port
 * dropped from the host, and a trailing dot; query and fragment dropped; empty path segments
 * (`//`) skipped; the first two segments kept, the second without its trailing `.git`. A GitLab
 * project in a subgroup (`group/sub/project`) is thus known by `group/sub`: two projects of one
 * subgroup count as one repository, the safe side for a check that only asks for a
 * justification. No owner and name: NULL, which matches nothing.
 *
 * The request rule (src/requests/rules.ts) accepts only addresses this reads as a browser would.
 */
export async function up(knex: Knex): Promise<void> {
  // knex reads a bare ? as a binding: the regular expression writes it \\?.
  await knex.raw(`
    CREATE FUNCTION canonical_repository(url text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT CASE WHEN cardinality(segments) >= 2 AND name <> ''
        THEN host || '/' || segments[1] || '/' || name END
      FROM (
        SELECT regexp_match(
          translate(lower(btrim(url)), chr(92), '/'),
          '^[a-z][a-z0-9+.-]*://([^/\\?#]*)([^\\?#]*)'
        ) AS m
      ) AS parsed,
      LATERAL (
        SELECT rtrim(regexp_replace(regexp_replace(m[1], '^.*@', ''), ':[0-9]*$', ''), '.') AS host,
          array_remove(string_to_array(m[2], '/'), '') AS segments
      ) AS parts,
      LATERAL (SELECT regexp_replace(segments[2], '(\\.git)+$', '') AS name) AS named
    $$`);
  await knex.raw(`
    ALTER TABLE opportunities ADD COLUMN repository text
      GENERATED ALWAYS AS (canonical_repository(repository_url)) STORED`);
  await knex.raw(`COMMENT ON COLUMN opportunities.repository IS
    'canonical host/owner/name of repository_url, for the contract-splitting check'`);
  await knex.schema.alterTable('opportunities', (t) => {
    t.index(['department_id', 'repository']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('opportunities', (t) => {
    t.dropIndex(['department_id', 'repository']);
    t.dropColumn('repository');
  });
  await knex.raw('DROP FUNCTION canonical_repository(text)');
}
