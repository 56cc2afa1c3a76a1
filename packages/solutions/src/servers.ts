import { ConfigurationError, normalizeDatabaseConfig, type DatabaseConfig, type NormalizedDatabaseConfig } from '@fbs/core';

/**
 * One PostgreSQL server solutions may be placed on (part of `SolutionsConfig.servers`): its admin
 * URL (or Sequelize options; administrative statements run in its `database`), plus placement knobs.
 *
 * @example
 * ```ts
 * servers: {
 *   pg1: 'postgres://admin@pg1.internal:5432/postgres',
 *   pg2: { url: 'postgres://admin@pg2.internal:5432/postgres', maxConnections: 60, weight: 2 },
 * }
 * ```
 */
export type ServerConfig =
  | string
  | (Exclude<DatabaseConfig, string> & {
      /** Cap on the connections of this server's solution pools. Default: `pool.maxConnections`. */
      readonly maxConnections?: number;
      /** Share of new solutions under the `weighted` policy. Default 1. */
      readonly weight?: number;
      /** No new solutions are placed here (existing ones stay until moved). Default false. */
      readonly draining?: boolean;
      /** Databases of this server migrated at once by `migrateAll`. Default: the run's concurrency. */
      readonly migrateConcurrency?: number;
    });

/** A checked server entry. */
export interface ResolvedServer {
  readonly name: string;
  /** Normalized config (contains the password: never log it). */
  readonly config: NormalizedDatabaseConfig;
  readonly maxConnections: number | undefined;
  readonly weight: number;
  readonly draining: boolean;
  readonly migrateConcurrency: number | undefined;
}

/** Server names: short lowercase identifiers (they appear in the catalogue and the CLI). */
export const SERVER_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** The name of the only server when the config has `server` (or nothing) instead of `servers`. */
export const DEFAULT_SERVER = 'default';

/** Checks one server entry; errors are `ConfigurationError`s naming the server and the fix. */
export function resolveServer(name: string, entry: ServerConfig): ResolvedServer {
  if (typeof name !== 'string' || !SERVER_NAME_PATTERN.test(name)) {
    throw new ConfigurationError(`Server name ${JSON.stringify(name)} must match ${SERVER_NAME_PATTERN} (e.g. 'pg1').`);
  }
  const options = typeof entry === 'object' && entry !== null ? entry : undefined;
  const { maxConnections, weight = 1, draining = false, migrateConcurrency, ...rest } = options ?? ({} as Exclude<ServerConfig, string>);
  const config = normalizeDatabaseConfig(`server ${name}`, options ? (rest as DatabaseConfig) : entry);
  if (config.dialect !== 'postgres') throw new ConfigurationError(`Server '${name}': solution databases need PostgreSQL for now (dialect is '${config.dialect}').`);
  for (const [key, value] of Object.entries({ maxConnections, migrateConcurrency })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new ConfigurationError(`Server '${name}': ${key} must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) throw new ConfigurationError(`Server '${name}': weight must be a number ≥ 0, got ${JSON.stringify(weight)}.`);
  if (typeof draining !== 'boolean') throw new ConfigurationError(`Server '${name}': draining must be true or false, got ${JSON.stringify(draining)}.`);
  return Object.freeze({ name, config, maxConnections, weight, draining, migrateConcurrency });
}

/**
 * The servers of a `SolutionsConfig`: `servers` as given, else one server named `default` from
 * `server` (or the system database's config) — the single-server shape of earlier versions.
 */
export function resolveServers(servers: Readonly<Record<string, ServerConfig>> | undefined, fallback: () => DatabaseConfig): ResolvedServer[] {
  if (servers === undefined) return [resolveServer(DEFAULT_SERVER, fallback() as ServerConfig)];
  if (!servers || typeof servers !== 'object' || Object.keys(servers).length === 0) {
    throw new ConfigurationError(`servers must name at least one server, e.g. servers: { pg1: 'postgres://admin@pg1/postgres' }; got ${JSON.stringify(servers)}.`);
  }
  const resolved = Object.entries(servers).map(([name, entry]) => resolveServer(name, entry));
  const seen = new Map<string, string>();
  for (const server of resolved) {
    const where = `${server.config.host ?? 'localhost'}:${server.config.port ?? 5432}`;
    const other = seen.get(where);
    if (other) throw new ConfigurationError(`Servers '${other}' and '${server.name}' are the same server (${where}): each name must be a server of its own.`);
    seen.set(where, server.name);
  }
  return resolved;
}
