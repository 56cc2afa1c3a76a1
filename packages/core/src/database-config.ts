import type { Dialect, Options } from 'sequelize';
import { ConfigurationError } from './errors';

/**
 * How to reach one database: a URL (`postgres://user:pass@host:5432/name`) or Sequelize options
 * (`{ host, port, database, username, password, pool, … }`, dialect `postgres` by default).
 */
export type DatabaseConfig = string | (Options & { url?: string });

/** A config after normalisation: always an options object with dialect, database and pool set. */
export type NormalizedDatabaseConfig = Readonly<Options & { dialect: Dialect; database: string }>;

const DIALECTS: Record<string, Dialect> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  mssql: 'mssql',
};

/** Turns a URL or an options object into frozen Sequelize options. Errors name the alias, never the password. */
export function normalizeDatabaseConfig(alias: string, config: DatabaseConfig): NormalizedDatabaseConfig {
  let options: Options & { url?: string };
  if (typeof config === 'string') options = { url: config };
  else if (config && typeof config === 'object') options = { ...config };
  else {
    throw new ConfigurationError(`Database '${alias}': config must be a URL string or an options object, got ${config === null ? 'null' : typeof config}.`);
  }
  if (options.url !== undefined) options = { ...fromUrl(alias, options.url), ...withoutUrl(options) };
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
  const pool = { max: 5, min: 0, idle: 10_000, acquire: 10_000, evict: 1_000, ...options.pool };
  const dialectOptions =
    dialect === 'postgres' ? { connectionTimeoutMillis: 5_000, ...options.dialectOptions } : options.dialectOptions;
  return Object.freeze({
    ...options,
    dialect,
    database: options.database ?? '',
    port: options.port === undefined ? undefined : Number(options.port),
    pool,
    dialectOptions,
  }) as NormalizedDatabaseConfig;
}

/** `dialect://user@host:port/database`, without the password: safe for errors and logs. */
export function describeDatabase(config: NormalizedDatabaseConfig): string {
  const user = config.username ? `${config.username}@` : '';
  const host = config.host ?? 'localhost';
  const port = config.port ? `:${config.port}` : '';
  return `${config.dialect}://${user}${host}${port}/${config.database}`;
}

function fromUrl(alias: string, url: string): Options {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`Database '${alias}': the URL is not valid. Expected postgres://user:password@host:5432/database.`);
  }
  const dialect = DIALECTS[parsed.protocol.replace(/:$/, '')];
  if (!dialect) {
    throw new ConfigurationError(`Database '${alias}': unsupported URL scheme '${parsed.protocol}'. Use postgres:// (or mysql://, mariadb://).`);
  }
  return {
    dialect,
    host: decodeURIComponent(parsed.hostname) || undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

function withoutUrl(options: Options & { url?: string }): Options {
  const { url: _url, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Options;
}
