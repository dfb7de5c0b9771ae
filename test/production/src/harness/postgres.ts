import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

/**
 * The PostgreSQL server the test command started (scripts/lib/postgres.sh
 * exports its URL as Backstage's test-database variable). Each site gets
 * its own database prefix, so the plugins' databases (`<prefix>catalog`,
 * `<prefix>kaito`, ...) of two tests never meet.
 */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

const ENV_PATTERN = /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/;

export function postgresFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): PostgresServer {
  const key = Object.keys(env)
    .filter(k => ENV_PATTERN.test(k))
    .sort()
    .pop();
  if (!key || !env[key]) {
    throw new Error(
      'The production tests need a PostgreSQL server: run them with `yarn test:production` ' +
        '(scripts/test-production.sh starts one) or set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    );
  }
  const url = new URL(env[key]!);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

/** A fresh `backend.database.prefix` (PostgreSQL folds names to lower case). */
export function uniqueDatabasePrefix(name: string): string {
  const safe = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20);
  return `kt_${safe}_${randomBytes(3).toString('hex')}_`;
}

/** A connection to one database of the server. */
function connect(server: PostgresServer, database: string): Knex {
  return knexFactory({
    client: 'pg',
    connection: { ...server, database },
    pool: { min: 0, max: 1 },
  });
}

/** Rows of one query on one plugin's database (`<prefix><pluginId>`). */
export async function queryPluginDatabase<T>(
  server: PostgresServer,
  prefix: string,
  pluginId: string,
  sql: string,
  bindings: readonly Knex.RawBinding[] = [],
): Promise<T[]> {
  const db = connect(server, `${prefix}${pluginId}`);
  try {
    const result = await db.raw(sql, bindings);
    return result.rows as T[];
  } finally {
    await db.destroy();
  }
}

/** Drops the databases of one site (its plugins' databases). */
export async function dropDatabases(
  server: PostgresServer,
  prefix: string,
): Promise<void> {
  const db = connect(server, 'postgres');
  try {
    const { rows } = await db.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as { datname: string }[]) {
      await db.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await db.destroy();
  }
}
