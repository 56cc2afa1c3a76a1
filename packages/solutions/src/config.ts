import type { DatabaseConfig } from '@fbs/core';
import type { MigratorConfig } from '@fbs/migrate';
import type { Options } from 'sequelize';
import type { SolutionMigrator } from './migrator-contract';
import type { DatabaseTemplates } from './naming';
import type { PoolCapConfig } from './pool-cap';
import type { RolesConfig } from './roles';
import type { SolutionPlugin } from './events';
import type { PlacementPolicy } from './placement-policy';
import type { ServerConfig } from './servers';

/**
 * What `new SolutionManager(project, config)` takes. Frozen once taken.
 *
 * @example
 * ```ts
 * const solutions = new SolutionManager(project, {
 *   databases: { djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' },
 *   pool: { maxConnections: 40, idleMs: 30_000 },
 *   roles: { password: (name) => vault.read(`solutions/${name}`) },
 * });
 * ```
 */
export interface SolutionsConfig {
  /** Database name templates keyed by kind; `{name}` is the solution. Default `{ djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' }`. */
  readonly databases?: DatabaseTemplates;
  /**
   * The server solution databases are created on; administrative statements run in its `database`.
   * Default: the system alias's config (solutions live beside the system database). Behind a
   * transaction-pooling PgBouncer give it a `migrationUrl` (direct): creation, templates, drops and
   * migrations use it, solution databases get it with their own name (docs/pgbouncer.md).
   */
  readonly server?: DatabaseConfig;
  /**
   * Several servers by name (admin URL or options each, with per-server `maxConnections`, `weight`,
   * `draining`); replaces `server`. Without it there is one server named `default`. See docs/servers.md.
   *
   * @example
   * ```ts
   * servers: { pg1: 'postgres://admin@pg1/postgres', pg2: { url: 'postgres://admin@pg2/postgres', maxConnections: 60 } }
   * ```
   */
  readonly servers?: Readonly<Record<string, ServerConfig>>;
  /** Where new solutions go (default `'fewest-solutions'`); `create(name, { server })` overrides it. */
  readonly placement?: PlacementPolicy;
  /**
   * The server of catalogue rows written before servers were recorded (single-server versions).
   * Default: the first of `servers`.
   */
  readonly legacyServer?: string;
  /** Alias of the system database, which holds the catalogue. Default `default`. */
  readonly systemAlias?: string;
  /** Catalogue table in the system database. Default `fbs_solutions`. */
  readonly catalogueTable?: string;
  /** The cap on connections across all solution pools, and idle eviction. */
  readonly pool?: PoolCapConfig;
  /**
   * Clone migrated template databases (default `true`); `false` always migrates empty databases.
   * `{ name }` sets the solution name of the template databases (default `template`, giving
   * `djo_template_db`): projects with different migrations on one server need different names.
   */
  readonly templates?: boolean | { readonly name?: string };
  /** One login role per solution (least privilege). Off by default. */
  readonly roles?: RolesConfig;
  /** A `Migrator` of `@fbs/migrate` on the same project, or the config to build one. */
  readonly migrator?: SolutionMigrator | MigratorConfig;
  /**
   * Create a solution's databases at once, each on a connection of its own (default `true`);
   * `false` creates them one after the other on one connection.
   */
  readonly parallelProvisioning?: boolean;
  /**
   * How long a call of a solution whose writes are frozen by a move waits before failing with a
   * retryable `SolutionMovingError` (ms). Default 5 000.
   */
  readonly freezeWaitMs?: number;
  /** Awaited lifecycle hooks, e.g. to seed a new solution's data. */
  readonly plugins?: readonly SolutionPlugin[];
  /** Extra Sequelize options of solution connections (e.g. `logging`, `dialectOptions`). */
  readonly connection?: Omit<Options, 'database' | 'username' | 'password' | 'pool'>;
}

/** Options of `create()`. */
export interface CreateOptions {
  /** Take over databases that already exist under the solution's names but are not in the catalogue. Default false (refused). */
  readonly adopt?: boolean;
  /** Place the solution's databases on this server (a name of `servers`), whatever the placement policy says. */
  readonly server?: string;
  /**
   * Stops the creation between steps and after the current migration (one in flight is rolled
   * back, locks are released) with a `SolutionAbortedError` saying what was done; `create()` again
   * finishes the solution. The library never touches process signals (the CLI wires SIGINT/SIGTERM).
   */
  readonly signal?: AbortSignal;
}

/** Options of `drop()`. */
export interface DropOptions {
  /** Must equal the solution name: dropping deletes both databases and all their data. */
  readonly confirm?: string;
}

/** Options of `migrateAll()`. */
export interface MigrateAllOptions {
  /** Databases migrated at once. Default: the migrator's concurrency. */
  readonly concurrency?: number;
  /** Only these solutions (default: every ready solution). */
  readonly solutions?: readonly string[];
  /**
   * Stops the run after the current migration of each database (one in flight is rolled back);
   * the report then has `aborted: true` and lists, per solution, what committed and what did not.
   */
  readonly signal?: AbortSignal;
}
