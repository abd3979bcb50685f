import knex, { type Knex } from 'knex';
import pg from 'pg';

// int8 (bigint) counts and sums come back as strings by default; our amounts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// A date column is a calendar date, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;

export function createDb(connectionString: string, poolMax = 10): Db {
  return knex({
    client: 'pg',
    connection: { connectionString, application_name: 'micro-acquisition' },
    pool: { min: 0, max: poolMax },
  });
}

/** The server a Db connects to, for the clients that need their own connections (the job queue). */
export function connectionStringOf(db: Db): string {
  const connection = db.client.config.connection as { connectionString?: string } | undefined;
  if (!connection?.connectionString) throw new Error('the database has no connection string');
  return connection.connectionString;
}
