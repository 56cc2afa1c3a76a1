import { EventEmitter } from 'node:events';
import { ConfigurationError, type Project } from '@fbs/core';
import type { SolutionsConfig } from './config';
import type { SolutionEvents } from './events';
import { buildManagerParts, type ManagerParts } from './manager-parts';
import type { SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import type { ConnectionCap, PoolCapStats } from './pool-cap';
import type { SolutionInfo } from './solution-info';
import type { SolutionManager } from './solution-manager';
import { solutionNameGuard, validateSolutionName } from './solution-name';
import type { SolutionServers } from './solution-servers';

/**
 * What a `SolutionManager` answers without changing anything: its config and naming, name checks,
 * the catalogue (`list`, `records`, `info`, `databases`), the migrator, pool statistics. The
 * manager adds the operations (create, drop, move, migrateAll, runEach, …); see `SolutionManager`.
 */
export abstract class SolutionQueries extends EventEmitter<SolutionEvents> {
  readonly project: Project;
  readonly naming: SolutionNaming;
  readonly config: Readonly<SolutionsConfig>;
  /**
   * The servers solutions live on: `list()`, `add()` at runtime, `drain()`, `rebalance()` plans.
   *
   * @example
   * ```ts
   * solutions.servers.add('pg4', 'postgres://admin@pg4.internal/postgres');
   * ```
   */
  readonly servers: SolutionServers;
  /** The catalogue view, connections, freeze and lifecycle host the manager delegates to. */
  protected readonly parts: ManagerParts;

  constructor(project: Project, config: SolutionsConfig = {}) {
    super();
    this.project = project;
    this.config = Object.freeze({ ...config });
    // Abstract: `this` is always a SolutionManager (plugins get it as `created(solution, manager)`).
    this.parts = buildManagerParts(this as unknown as SolutionManager, project, config);
    this.naming = this.parts.naming;
    this.servers = this.parts.servers;
  }

  /**
   * Checks a solution name (see `SOLUTION_NAME_PATTERN`); throws `InvalidSolutionNameError`, runs no SQL.
   *
   * @example
   * ```ts
   * solutions.validate('acme_corp'); // 'acme_corp'; 'Acme' or 'pg_x' throw
   * ```
   */
  validate(name: unknown): string {
    return validateSolutionName(name, this.naming, this.parts.rules);
  }

  /**
   * {@link validate} as a guard `(name) => void` for other entry points (core's `withSolution`, a
   * request's tenant): refuses reserved names (`template…`, `pg_…`), taken databases, bad patterns.
   *
   * @example
   * ```ts
   * const guard = solutions.nameGuard();
   * guard(request.params.tenant); // throws InvalidSolutionNameError for 'template', 'Acme', …
   * ```
   */
  nameGuard(): (name: unknown) => void {
    return solutionNameGuard(this.naming, this.parts.rules);
  }

  /**
   * The databases the role of solution `name` may connect to (roles on): its own, plus those the SDK did
   * not create whose CONNECT is still open to PUBLIC (docs/solutions.md: the operator's step).
   *
   * @example
   * ```ts
   * await solutions.connectableDatabases('acme'); // ['djo_acme_db', 'fbs_acme_db']
   * ```
   */
  async connectableDatabases(name: string): Promise<string[]> {
    const solution = this.validate(name);
    const roles = this.parts.roles;
    if (!roles) throw new ConfigurationError('connectableDatabases() needs per-solution roles: set roles in the SolutionsConfig.');
    const names = new Set<string>();
    for (const server of this.servers.registry.all()) for (const d of await server.admin.session((session) => roles.connectable(session, solution))) names.add(d);
    return [...names].sort();
  }

  /**
   * The migrator solutions are migrated with (built from `config.migrator` on first use).
   *
   * @example
   * ```ts
   * (await solutions.migrator()).on('migration:done', ({ alias, name }) => log(alias, name));
   * ```
   */
  migrator(): Promise<SolutionMigrator> {
    return this.parts.migrator();
  }

  /**
   * Names of every ready solution (from the catalogue). `SolutionTargets.list`.
   *
   * @example
   * ```ts
   * await solutions.list(); // ['acme_corp', 'big_client']
   * ```
   */
  async list(): Promise<string[]> {
    return (await this.records()).filter((r) => r.state === 'ready').map((r) => r.name);
  }

  /**
   * Every catalogued solution with its state and databases (including interrupted ones).
   *
   * @example
   * ```ts
   * const stuck = (await solutions.records()).filter((r) => r.state !== 'ready');
   * ```
   */
  async records(): Promise<SolutionInfo[]> {
    return this.parts.directory.records();
  }

  /**
   * One solution's catalogue entry, or undefined.
   *
   * @example
   * ```ts
   * const { servers } = (await solutions.info('acme_corp'))!; // { djo: 'pg1', fbs: 'pg1' }
   * ```
   */
  async info(name: string): Promise<SolutionInfo | undefined> {
    return this.parts.directory.get(this.validate(name));
  }

  /** One database name per kind as a solution would have it: where solution apps migrate (`SolutionTargets.exampleDatabases`, for `fbs-migrate check`). */
  exampleDatabases(): string[] {
    return this.naming.kinds.map((kind) => this.naming.database(kind, 'example'));
  }

  /**
   * The aliases of a ready solution's databases, registered on the project. `SolutionTargets.databases`.
   *
   * @example
   * ```ts
   * await solutions.databases('acme_corp'); // ['djo_acme_corp_db', 'fbs_acme_corp_db']
   * ```
   */
  async databases(name: string): Promise<string[]> {
    const solution = await this.known(name);
    return this.naming.kinds.map((kind) => this.naming.database(kind, solution));
  }

  /**
   * Connections of solution pools under the caps (summed over servers, or of `server`): open now, most seen, waiting, evictions.
   *
   * @example
   * ```ts
   * const { open, cap } = solutions.poolStats();
   * ```
   */
  poolStats(server?: string): PoolCapStats {
    return this.servers.stats(server);
  }

  /** The cap of the first server, the only one without `servers` (e.g. to reset `maxSeen` or sweep idle pools now). */
  get cap(): ConnectionCap {
    return this.servers.cap();
  }

  /** `name` validated, when it is a ready solution (else an `UnknownSolutionError` saying how to create it). */
  protected async known(name: string): Promise<string> {
    return this.parts.directory.known(this.validate(name));
  }

  /** `names`, each checked to be a ready solution; every ready solution without them. */
  protected async selected(names: readonly string[] | undefined): Promise<string[]> {
    return names ? Promise.all(names.map((n) => this.known(n))) : this.list();
  }
}
