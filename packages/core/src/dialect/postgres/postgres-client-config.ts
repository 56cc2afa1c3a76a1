import type { ConnectionOptions } from 'node:tls';
import { normalizeDatabaseConfig, type DatabaseConfig, type NormalizedDatabaseConfig } from '../../database-config';

/** The node-postgres `Client`/`Pool` options the SDK builds (a subset of `pg.ClientConfig`). */
export interface PostgresClientConfig {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database: string;
  ssl?: boolean | ConnectionOptions;
  application_name?: string;
  options?: string;
  connectionTimeoutMillis?: number;
  statement_timeout?: number;
  query_timeout?: number;
  lock_timeout?: number;
  idle_in_transaction_session_timeout?: number;
  keepAlive?: boolean;
  client_encoding?: string;
  binary?: boolean;
  stream?: unknown;
}

/** Options of {@link postgresClientConfig}. */
export interface PostgresClientOptions {
  /** Connect to this database of the server instead of the config's (e.g. `postgres` for admin statements). */
  readonly database?: string;
  /** `application_name` when the config sets none (e.g. `fbs-solutions`), so the server's activity view says who it is. */
  readonly applicationName?: string;
}

/**
 * The `dialectOptions` keys Sequelize's own postgres connection manager hands to `pg` (Sequelize
 * 6.37, `lib/dialects/postgres/connection-manager.js`): a driver connection of the SDK is set up
 * exactly like a pooled one of the same alias.
 */
const DRIVER_OPTIONS = [
  'application_name', 'ssl', 'client_encoding', 'binary', 'keepAlive', 'statement_timeout', 'query_timeout',
  'connectionTimeoutMillis', 'idle_in_transaction_session_timeout', 'lock_timeout', 'options', 'stream',
] as const;

/**
 * The one mapping from a database config (a URL or Sequelize options, normalized or not) to
 * node-postgres client options: host, port, user, password, database; the libpq parameters of a URL
 * (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `application_name`, `options`, `connect_timeout`,
 * already turned into `dialectOptions` by the config's normalisation, which also sets the SDK's 5 s
 * connection timeout when none is given) and every other driver option
 * of `dialectOptions` Sequelize passes on. Errors (from normalisation) name `alias`, never the password.
 *
 * @example
 * ```ts
 * const client = new pg.Client(postgresClientConfig('default', 'postgres://app@db:5432/app?sslmode=verify-full', { database: 'postgres' }));
 * ```
 */
export function postgresClientConfig(alias: string, config: DatabaseConfig | NormalizedDatabaseConfig, options: PostgresClientOptions = {}): PostgresClientConfig {
  const normalized = normalizeDatabaseConfig(alias, config as DatabaseConfig);
  const dialectOptions = (normalized.dialectOptions ?? {}) as Record<string, unknown>;
  const client: PostgresClientConfig = { database: options.database ?? normalized.database };
  if (normalized.host !== undefined) client.host = normalized.host;
  if (normalized.port !== undefined) client.port = normalized.port;
  if (normalized.username !== undefined) client.user = normalized.username;
  if (typeof normalized.password === 'string') client.password = normalized.password;
  for (const key of DRIVER_OPTIONS) {
    if (dialectOptions[key] !== undefined) (client as unknown as Record<string, unknown>)[key] = dialectOptions[key];
  }
  if (client.application_name === undefined && options.applicationName !== undefined) client.application_name = options.applicationName;
  return client;
}
