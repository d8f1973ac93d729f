import { Client } from 'pg';

export const POSTGRES_URL =
  process.env.API_TOKENS_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';

/**
 * A prefix for the databases of one test's backends, so that replicas share
 * them and nothing else does; dropped afterwards.
 */
export function databasePrefix(name: string) {
  return `e2e_${name}_${Date.now().toString(36)}_`;
}

export async function dropDatabases(prefix: string) {
  const client = new Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** The backend config for PostgreSQL with the given database prefix. */
export function postgresConfig(prefix: string) {
  return {
    client: 'pg',
    connection: POSTGRES_URL,
    prefix,
  };
}
