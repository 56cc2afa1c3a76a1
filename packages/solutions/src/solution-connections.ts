import type { DatabaseConfig, NormalizedDatabaseConfig } from '@fbs/core';
import type { SolutionNaming } from './naming';
import type { ConnectionCap } from './pool-cap';
import type { SolutionRoles } from './roles';

/**
 * Which solutions this process knows (from the catalogue or its own calls), and the connection
 * config of their databases: the server's config with the database swapped, the solution's role
 * when roles are on, and a small pool under the cap. Serves as the project's alias resolver, so an
 * alias of a known solution resolves on first use.
 */
export class SolutionConnections {
  readonly #known = new Set<string>();
  readonly #naming: SolutionNaming;
  readonly #server: NormalizedDatabaseConfig;
  readonly #cap: ConnectionCap;
  readonly #roles: SolutionRoles | undefined;
  readonly #template: string | undefined;
  readonly #extra: object;
  #databaseVersion: string | undefined;

  constructor(naming: SolutionNaming, server: NormalizedDatabaseConfig, cap: ConnectionCap, roles: SolutionRoles | undefined, template: string | undefined, extra: object = {}) {
    this.#naming = naming;
    this.#server = server;
    this.#cap = cap;
    this.#roles = roles;
    this.#template = template;
    this.#extra = extra;
  }

  /** Marks a solution as known (its aliases resolve) or forgets it. */
  know(solution: string): void {
    this.#known.add(solution);
  }
  forget(solution: string): void {
    this.#known.delete(solution);
  }
  knows(solution: string): boolean {
    return this.#known.has(solution);
  }
  /** Known solution names. */
  known(): string[] {
    return [...this.#known];
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
    if (parsed === undefined) return undefined;
    if (parsed.solution !== this.#template && !this.#known.has(parsed.solution)) return undefined;
    return this.config(parsed.solution, alias);
  }

  /** The Sequelize options of one solution database (contains the password: never log it). */
  config(solution: string, database: string): DatabaseConfig {
    const { url: _url, database: _database, pool: _pool, ...server } = this.#server as NormalizedDatabaseConfig & { url?: string };
    const cap = this.#cap.config;
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
