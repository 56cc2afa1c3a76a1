import type { Options } from 'sequelize';
import { ConfigurationError } from './errors';

/** Defaults of {@link databasesFromEnv}: the seed's database names. */
export const SEED_DATABASE_NAMES = Object.freeze({ default: 'fbs_system_db', licensing: 'lic_system_db' });

/** Options of {@link databasesFromEnv}. */
export interface EnvDatabasesOptions {
  /** Variables to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra Sequelize options merged into both configs (pool, logging, …). */
  readonly defaults?: Options;
}

/**
 * Database configs from the seed's environment variables:
 * `DB_NAME`, `DB_USER`, `DB_PASSWORD`, `DB_HOST`, `DB_PORT` for `default` (fbs_system_db) and
 * `LIC_DB_*` for `licensing` (lic_system_db). Unset variables take the seed's defaults
 * (database names above, host `localhost`, port 5432).
 *
 * @example
 * ```ts
 * const project = createProject({ databases: databasesFromEnv(), routers: [...], apps: [...] });
 * ```
 */
export function databasesFromEnv(options: EnvDatabasesOptions = {}): { default: Options; licensing: Options } {
  const env = options.env ?? process.env;
  return {
    default: fromPrefix(env, 'DB_', SEED_DATABASE_NAMES.default, options.defaults),
    licensing: fromPrefix(env, 'LIC_DB_', SEED_DATABASE_NAMES.licensing, options.defaults),
  };
}

function fromPrefix(env: Readonly<Record<string, string | undefined>>, prefix: string, name: string, defaults?: Options): Options {
  const get = (key: string) => {
    const value = env[prefix + key];
    return value === undefined || value === '' ? undefined : value;
  };
  const rawPort = get('PORT');
  const port = rawPort === undefined ? 5432 : Number(rawPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConfigurationError(`${prefix}PORT=${JSON.stringify(rawPort)} is not a port number; set it to e.g. 5432.`);
  }
  return {
    dialect: 'postgres',
    ...defaults,
    database: get('NAME') ?? name,
    username: get('USER'),
    password: get('PASSWORD'),
    host: get('HOST') ?? 'localhost',
    port,
  };
}
