import type { DatabaseConfig, NormalizedDatabaseConfig } from '@fbs/core';
import type { SolutionNaming } from './naming';
import type { ConnectionCap } from './pool-cap';
import type { SolutionRoles } from './roles';

/** The server config and pool cap of a database, by server name. */
export type ServerLookup = (server: string) => { readonly server: { readonly config: NormalizedDatabaseConfig }; readonly cap: ConnectionCap };

/**
 * Which solutions this process knows (from the catalogue or its own calls) and on which server each
 * of their databases is, and the connection config of those databases: that server's config with
 * the database swapped, the solution's role when roles are on, and a small pool under that server's
 * cap. Serves as the project's alias resolver, so an alias of a known solution resolves on first use.
 */
export class SolutionConnections {
  /** Solution → kind → server. */
  readonly #known = new Map<string, Readonly<Record<string, string>>>();
  readonly #naming: SolutionNaming;
  readonly #servers: ServerLookup;
  readonly #roles: SolutionRoles | undefined;
  readonly #template: string | undefined;
  readonly #extra: object;
  #templateServer: string | undefined;
  #databaseVersion: string | undefined;

  constructor(naming: SolutionNaming, servers: ServerLookup, roles: SolutionRoles | undefined, template: string | undefined, extra: object = {}) {
    this.#naming = naming;
    this.#servers = servers;
    this.#roles = roles;
    this.#template = template;
    this.#extra = extra;
  }

  /** Marks a solution as known (its aliases resolve, each on the server of its kind) or forgets it. */
  know(solution: string, servers: Readonly<Record<string, string>>): void {
    this.#known.set(solution, servers);
  }
  forget(solution: string): void {
    this.#known.delete(solution);
  }
  knows(solution: string): boolean {
    return this.#known.has(solution);
  }
  /** Known solution names. */
  known(): string[] {
    return [...this.#known.keys()];
  }

  /** Where the databases of a known solution are (kind → server). */
  placement(solution: string): Readonly<Record<string, string>> | undefined {
    return this.#known.get(solution);
  }

  /** Template aliases resolve on `server` from now on (while its templates are migrated). */
  templatesOn(server: string): void {
    this.#templateServer = server;
  }

  /** The server a solution (or template) database alias is on now; undefined when unknown. */
  serverOf(alias: string): string | undefined {
    const parsed = this.#naming.parse(alias);
    if (parsed === undefined) return undefined;
    if (parsed.solution === this.#template) return this.#templateServer;
    return this.#known.get(parsed.solution)?.[parsed.kind];
  }

  /** The server's version (skips Sequelize's version probe on every cold pool). */
  setDatabaseVersion(version: string): void {
    this.#databaseVersion = version;
  }

  /** Whether `alias` names a database of a solution (or a template), known or not. */
  isSolutionAlias(alias: string): boolean {
    return this.#naming.parse(alias) !== undefined;
  }

  /** The project's alias resolver: configs for aliases of known solutions and of the templates. */
  resolve(alias: string): DatabaseConfig | undefined {
    const parsed = this.#naming.parse(alias);
    const server = this.serverOf(alias);
    if (parsed === undefined || server === undefined) return undefined;
    return this.config(parsed.solution, alias, server);
  }

  /** The Sequelize options of one solution database on `on` (contains the password: never log it). */
  config(solution: string, database: string, on: string): DatabaseConfig {
    const handle = this.#servers(on);
    const { url: _url, database: _database, pool: _pool, ...server } = handle.server.config as NormalizedDatabaseConfig & { url?: string };
    const cap = handle.cap.config;
    const roles = this.#roles;
    return {
      ...server,
      ...this.#extra,
      database,
      username: roles ? roles.role(solution) : server.username,
      password: roles ? roles.password(solution, solution === this.#template) : server.password,
      pool: { max: cap.perSolution, min: 0, idle: cap.idleMs, acquire: cap.acquireTimeoutMs + 5_000, evict: Math.min(1_000, cap.idleMs) },
      ...(this.#databaseVersion ? { databaseVersion: this.#databaseVersion } : {}),
      ...(server.migrationUrl ? { migrationUrl: migrationUrlOf(server.migrationUrl, database, roles?.role(solution)) } : {}),
    } as DatabaseConfig;
  }
}

/**
 * The server's `migrationUrl` with the solution's database, and its role (whose password the
 * config carries) when roles are on: the migrator reaches each solution database directly.
 */
function migrationUrlOf(serverUrl: string, database: string, role: string | undefined): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (role !== undefined) {
    url.username = encodeURIComponent(role);
    url.password = '';
  }
  return url.toString();
}
