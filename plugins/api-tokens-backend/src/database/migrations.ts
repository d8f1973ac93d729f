import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@nholuongut/backstage-plugin-api-tokens-backend',
  'migrations',
);

/**
 * Brings the plugin's database up to date, unless migrations are skipped.
 *
 * @alpha
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return knex;
}

/** For tests: the migrations folder. */
export const MIGRATIONS_DIRECTORY = migrationsDir;
