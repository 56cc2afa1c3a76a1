import type { Dialect, Options } from 'sequelize';
import { parseDatabaseUrl, parseMigrationUrl, URL_DIALECTS } from './database-url';
import { ConfigurationError } from './errors';
import { withoutReplicaKeys, type ReplicaConfig } from './replica-topology';
import { guardSession } from './session-guard';

/**
 * How to reach one database: a URL (`postgres://user:pass@host:5432/name?sslmode=verify-full&sslrootcert=ca.pem`)
 * or Sequelize options (`{ host, port, database, username, password, pool, … }`, dialect `postgres`
 * by default). A URL's libpq parameters become `dialectOptions`; explicit `dialectOptions` win.
 * An options object may list streaming `replicas` (see {@link ReplicaConfig}), and a `migrationUrl`:
 * a direct URL for the migrator and solutions' administrative work when `url` goes through a
 * transaction-pooling PgBouncer (see docs/pgbouncer.md and {@link migrationConfig}).
 *
 * @example
 * ```ts
 * const config: DatabaseConfig = { url: 'postgres://primary/app', replicas: ['postgres://replica1/app'], maxLagMs: 2000 };
 * const pooled: DatabaseConfig = { url: 'postgres://app@pgbouncer:6432/app', migrationUrl: 'postgres://app@db:5432/app' };
 * ```
 */
export type DatabaseConfig = string | (Options & { url?: string; migrationUrl?: string } & ReplicaConfig);

/** A config after normalisation: always an options object with dialect, database and pool set. */
export type NormalizedDatabaseConfig = Readonly<Options & { dialect: Dialect; database: string; migrationUrl?: string }>;

const DIALECTS = URL_DIALECTS;

/** Turns a URL or an options object into frozen Sequelize options. Errors name the alias, never the password. */
export function normalizeDatabaseConfig(alias: string, config: DatabaseConfig): NormalizedDatabaseConfig {
  let options: Options & { url?: string; migrationUrl?: string };
  if (typeof config === 'string') options = { url: config };
  else if (config && typeof config === 'object') options = withoutReplicaKeys({ ...config });
  else {
    throw new ConfigurationError(`Database '${alias}': config must be a URL string or an options object, got ${config === null ? 'null' : typeof config}.`);
  }
  if (options.url !== undefined) {
    if (typeof options.url !== 'string') throw new ConfigurationError(`Database '${alias}': url must be a string, got ${typeof options.url}.`);
    const fromUrl = parseDatabaseUrl(alias, options.url);
    const explicit = withoutUrl(options);
    const dialectOptions = fromUrl.dialectOptions || explicit.dialectOptions ? { ...fromUrl.dialectOptions, ...explicit.dialectOptions } : undefined;
    options = { ...fromUrl, ...explicit, ...(dialectOptions ? { dialectOptions } : {}) };
  }
  const dialect = (options.dialect ?? 'postgres') as Dialect;
  if (!Object.values(DIALECTS).includes(dialect)) {
    throw new ConfigurationError(`Database '${alias}': unsupported dialect '${String(dialect)}'. Use one of: ${[...new Set(Object.values(DIALECTS))].join(', ')}.`);
  }
  if (dialect !== 'sqlite' && (typeof options.database !== 'string' || options.database === '')) {
    throw new ConfigurationError(`Database '${alias}': no database name. Set \`database\` (or put it in the URL path).`);
  }
  if (options.port !== undefined && !(Number.isInteger(Number(options.port)) && Number(options.port) > 0 && Number(options.port) < 65536)) {
    throw new ConfigurationError(`Database '${alias}': port ${JSON.stringify(options.port)} is not a port number (1-65535).`);
  }
  if (options.migrationUrl !== undefined) parseMigrationUrl(alias, options.migrationUrl, dialect);
  const pool = { max: 5, min: 0, idle: 10_000, acquire: 10_000, evict: 1_000, ...options.pool };
  const dialectOptions =
    dialect === 'postgres' ? { connectionTimeoutMillis: 5_000, ...options.dialectOptions } : options.dialectOptions;
  const hooks = dialect === 'postgres' ? withSessionGuard(options.hooks) : options.hooks;
  return Object.freeze({
    ...options,
    dialect,
    database: options.database ?? '',
    port: options.port === undefined ? undefined : Number(options.port),
    pool,
    dialectOptions,
    ...(hooks ? { hooks } : {}),
  }) as NormalizedDatabaseConfig;
}

/** `dialect://user@host:port/database`, without the password: safe for errors and logs. */
export function describeDatabase(config: NormalizedDatabaseConfig): string {
  const user = config.username ? `${config.username}@` : '';
  const host = config.host ?? 'localhost';
  const port = config.port ? `:${config.port}` : '';
  return `${config.dialect}://${user}${host}${port}/${config.database}`;
}

function withoutUrl(options: Options & { url?: string }): Options {
  const { url: _url, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Options;
}

/** Adds {@link guardSession} as the first `afterConnect` hook (once), keeping the caller's hooks. */
function withSessionGuard(hooks: Options['hooks']): Options['hooks'] {
  const given = hooks?.afterConnect as unknown;
  const list = (Array.isArray(given) ? given : given === undefined ? [] : [given]) as unknown[];
  if (list.includes(guardSession)) return hooks;
  return { ...hooks, afterConnect: [guardSession, ...list] as any };
}
