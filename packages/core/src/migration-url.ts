import { normalizeDatabaseConfig, type NormalizedDatabaseConfig } from './database-config';
import { parseMigrationUrl } from './database-url';

/**
 * The config the migrator (and solutions' administrative work) uses for an alias: the alias's own,
 * or — when it sets `migrationUrl` — the same options on that URL. Behind a transaction-pooling
 * PgBouncer the migrator's lock needs a session that stays put, so `migrationUrl` points straight
 * at PostgreSQL (or at a session-mode pool). The URL's host, port and database replace the
 * alias's; so do its user and password when it names them (a URL without a password keeps the
 * alias's password for the same user); its libpq parameters win over the alias's `dialectOptions`.
 *
 * @example
 * ```ts
 * const config = normalizeDatabaseConfig('default', {
 *   url: 'postgres://app:secret@pgbouncer:6432/app',
 *   migrationUrl: 'postgres://app:secret@db:5432/app',
 * });
 * migrationConfig('default', config).port; // 5432
 * ```
 */
export function migrationConfig(alias: string, config: NormalizedDatabaseConfig): NormalizedDatabaseConfig {
  const url = config.migrationUrl;
  if (url === undefined) return config;
  const direct = parseMigrationUrl(alias, url, config.dialect);
  const { url: _url, migrationUrl: _migrationUrl, host: _host, port: _port, database: _database, username, password, ...rest } = config as NormalizedDatabaseConfig & { url?: string };
  const sameUser = direct.username === undefined || direct.username === username;
  return normalizeDatabaseConfig(alias, {
    ...rest,
    host: direct.host,
    port: direct.port,
    database: direct.database || config.database,
    username: direct.username ?? username,
    password: direct.password ?? (sameUser ? password : undefined),
    dialectOptions: { ...(config.dialectOptions as object), ...(direct.dialectOptions as object) },
  });
}
