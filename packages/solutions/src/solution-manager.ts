import { EventEmitter } from 'node:events';
import { ConfigurationError, type Project } from '@fbs/core';
import type { SeedReport } from '@fbs/migrate';
import type { SolutionRecord } from './catalogue';
import type { CreateOptions, DropOptions, MigrateAllOptions, SolutionsConfig } from './config';
import { ConfirmationRequiredError } from './errors';
import type { SolutionEvents } from './events';
import { buildManagerParts, type ManagerParts } from './manager-parts';
import { migrateSolutions, type MigrateAllReport } from './migrate-all';
import type { SolutionMigrator } from './migrator-contract';
import { movedAway, type PlacementCheck } from './moved-away';
import type { SolutionNaming } from './naming';
import { OneAtATime } from './one-at-a-time';
import type { ConnectionCap, PoolCapStats } from './pool-cap';
import { runEachSolution, type RunEachOptions, type RunEachReport, type SolutionTask } from './run-each';
import { seedEachSolution, type SeedEachOptions } from './seed-each';
import type { SolutionInfo } from './solution-info';
import { createSolution, dropSolution } from './solution-lifecycle';
import { moveSolution, type MoveOptions, type MoveReport } from './solution-move';
import { solutionNameGuard, validateSolutionName } from './solution-name';
import type { SolutionServers } from './solution-servers';

/**
 * The lifecycle of solution (tenant) databases on a project: `create`, `drop`, `list`, `migrateAll`,
 * `withSolution`. Each solution has one database per kind (`djo_{name}_db`, `fbs_{name}_db`), whose
 * names are also their aliases; they resolve lazily on the project, pooled under a global cap.
 * Implements `SolutionTargets` of `@fbs/migrate` (`list`, `databases`) for `fbs-migrate --all-solutions`.
 *
 * @example
 * ```ts
 * const solutions = new SolutionManager(project, { pool: { maxConnections: 40 } });
 * await solutions.create('acme_corp');            // djo_acme_corp_db + fbs_acme_corp_db, migrated
 * await solutions.withSolution('acme_corp', () => project.model(Preference).create({ key: 'theme' }));
 * await solutions.drop('acme_corp', { confirm: 'acme_corp' });
 * await solutions.close();
 * ```
 */
export class SolutionManager extends EventEmitter<SolutionEvents> {
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
  /** The catalogue, connections, freeze and lifecycle host this manager delegates to. */
  readonly #parts: ManagerParts;
  /** Calls for one solution run one at a time in this process (and under an advisory lock across processes). */
  readonly #serial = new OneAtATime();
  #closed = false;

  constructor(project: Project, config: SolutionsConfig = {}) {
    super();
    this.project = project;
    this.config = Object.freeze({ ...config });
    const parts = (this.#parts = buildManagerParts(this, project, config));
    this.naming = parts.naming;
    this.servers = parts.servers;
  }

  /** Checks a solution name (see `SOLUTION_NAME_PATTERN`); throws `InvalidSolutionNameError`, runs no SQL. */
  validate(name: unknown): string {
    return validateSolutionName(name, this.naming, this.#parts.rules);
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
    return solutionNameGuard(this.naming, this.#parts.rules);
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
    const roles = this.#parts.roles;
    if (!roles) throw new ConfigurationError('connectableDatabases() needs per-solution roles: set roles in the SolutionsConfig.');
    const names = new Set<string>();
    for (const server of this.servers.registry.all()) for (const d of await server.admin.session((session) => roles.connectable(session, solution))) names.add(d);
    return [...names].sort();
  }

  /** The migrator solutions are migrated with (built from `config.migrator` on first use). */
  migrator(): Promise<SolutionMigrator> {
    return this.#parts.migrator();
  }

  /**
   * Creates solution `name`: both databases (cloned from templates, else migrated), role and
   * catalogue entry. Idempotent; finishes a creation that was interrupted (also one stopped by
   * `options.signal`, which throws a `SolutionAbortedError` saying what was done).
   *
   * @example
   * ```ts
   * const info = await solutions.create('acme_corp'); // { name, state: 'ready', databases: { djo, fbs }, servers, createdAt }
   * await solutions.create('big_client', { server: 'pg3' }); // on pg3, whatever the placement policy says
   * ```
   */
  async create(name: string, options: CreateOptions = {}): Promise<SolutionInfo> {
    return this.#exclusive(name, (solution) => createSolution(this.#parts.lifecycle, solution, options));
  }

  /**
   * Drops solution `name` (both databases, role, aliases, catalogue entry). Needs `{ confirm: name }`.
   *
   * @example
   * ```ts
   * await solutions.drop('acme_corp', { confirm: 'acme_corp' });
   * ```
   */
  async drop(name: string, options: DropOptions = {}): Promise<void> {
    const solution = this.validate(name);
    if (options?.confirm !== solution) throw new ConfirmationRequiredError(solution);
    await this.#exclusive(solution, (valid) => dropSolution(this.#parts.lifecycle, valid));
  }

  /** Names of every ready solution (from the catalogue). `SolutionTargets.list`. */
  async list(): Promise<string[]> {
    return (await this.records()).filter((r) => r.state === 'ready').map((r) => r.name);
  }

  /** Every catalogued solution with its state and databases (including interrupted ones). */
  async records(): Promise<SolutionInfo[]> {
    return this.#parts.directory.records();
  }

  /** One solution's catalogue entry, or undefined. */
  async info(name: string): Promise<SolutionInfo | undefined> {
    return this.#parts.directory.get(this.validate(name));
  }

  /** One database name per kind as a solution would have it: where solution apps migrate (`SolutionTargets.exampleDatabases`, for `fbs-migrate check`). */
  exampleDatabases(): string[] {
    return this.naming.kinds.map((kind) => this.naming.database(kind, 'example'));
  }

  /** The aliases of a ready solution's databases, registered on the project. `SolutionTargets.databases`. */
  async databases(name: string): Promise<string[]> {
    const solution = await this.#known(name);
    return this.naming.kinds.map((kind) => this.naming.database(kind, solution));
  }

  /**
   * Runs `fn` with the hints of solution `name` (`project.withSolution`), after making sure its
   * aliases resolve: routed models of solution apps go to its databases.
   *
   * @example
   * ```ts
   * const partners = await solutions.withSolution('acme_corp', () => project.model(Partner).findAll());
   * ```
   */
  async withSolution<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const solution = await this.#known(name);
    const { freeze, directory } = this.#parts;
    const exit = await freeze.enter(solution);
    const used = directory.placement(solution);
    try {
      return await this.project.withSolution(solution, fn);
    } catch (error) {
      // Moved by another process (its source read-only, or gone): point the aliases at the new server.
      throw (await movedAway(error, solution, () => directory.recheck(solution, used))) ?? error;
    } finally {
      exit();
    }
  }

  /**
   * Re-reads a solution's catalogue entry and points its aliases at the servers recorded there
   * (after another process moved it): `'moved'` when they changed, `'moving'` while a move is under way.
   *
   * @example
   * ```ts
   * await solutions.refresh('acme'); // 'unchanged'
   * ```
   */
  async refresh(name: string): Promise<PlacementCheck> {
    const solution = this.validate(name);
    const { directory } = this.#parts;
    await directory.ready();
    return directory.recheck(solution, directory.placement(solution));
  }

  /**
   * Migrates every ready solution (or `solutions`) with bounded concurrency; one failure does not stop or corrupt the others.
   * `options.signal` stops it after the current migration of each database: the report has `aborted: true`.
   *
   * @example
   * ```ts
   * const report = await solutions.migrateAll({ concurrency: 4 });
   * for (const s of report.solutions) if (s.error) console.error(s.name, s.error.message);
   * ```
   */
  async migrateAll(options: MigrateAllOptions = {}): Promise<MigrateAllReport> {
    const names = options.solutions ? await Promise.all(options.solutions.map((n) => this.#known(n))) : await this.list();
    const targets = await this.servers.migrateTargets();
    return migrateSolutions(this, await this.migrator(), names, { concurrency: options.concurrency, signal: options.signal, ...targets }, this.config.plugins ?? []);
  }

  /**
   * Runs `task` once per ready solution (or `options.solutions`) inside its `withSolution`, with
   * bounded concurrency (Laravel's `tenants:run`); by default no solution starts after a failure.
   *
   * @example
   * ```ts
   * const report = await solutions.runEach(({ solution }) => project.model(Preference).count(), { concurrency: 4, continueOnError: true });
   * for (const s of report.solutions) console.log(s.name, s.outcome, s.result ?? s.error?.message);
   * ```
   */
  async runEach<R>(task: SolutionTask<R>, options: RunEachOptions<R> = {}): Promise<RunEachReport<R>> {
    const names = options.solutions ? await Promise.all([...new Set(options.solutions)].map((n) => this.#known(n))) : await this.list();
    const host = { project: this.project, databasesOf: (s: string) => this.naming.databases(s), withSolution: <T>(s: string, fn: () => T | Promise<T>) => this.project.withSolution(s, fn) };
    return runEachSolution(host, names, task, options);
  }

  /** The project's seeds on every (or each named) solution's databases, via {@link runEach} (Laravel's `tenants:seed`). */
  seedEach(options: SeedEachOptions = {}): Promise<RunEachReport<SeedReport>> {
    return seedEachSolution(this, options);
  }

  /**
   * Moves solution `name` to server `options.to` (pg_dump | pg_restore under a write freeze,
   * verified by row counts and checksums before the catalogue switches; the source is dropped only
   * after). Rerun after an interruption: it finishes or reverts what the journal says. See docs/servers.md.
   *
   * @example
   * ```ts
   * const report = await solutions.move('acme', { to: 'pg2' }); // { from, to, tables, frozenMs, totalMs }
   * ```
   */
  async move(name: string, options: MoveOptions): Promise<MoveReport> {
    const { lifecycle, freeze } = this.#parts;
    return this.#exclusive(name, (solution) => moveSolution({ ...lifecycle, freeze }, solution, options));
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

  /** Drops the template databases on every server (they are rebuilt on the next create). */
  async dropTemplates(): Promise<void> {
    for (const server of this.servers.registry.all()) await server.templates?.dropAll();
  }

  /** Closes the admin connections and the idle timer; solution pools close with the project. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#parts.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** `name` validated, when it is a ready solution (else an `UnknownSolutionError` saying how to create it). */
  async #known(name: string): Promise<string> {
    return this.#parts.directory.known(this.validate(name));
  }

  /** Runs `fn` for the validated `name`, one call per solution at a time, once the catalogue is ready. */
  async #exclusive<T>(name: string, fn: (solution: string) => Promise<T>): Promise<T> {
    const solution = this.validate(name);
    return this.#serial.run(solution, async () => {
      await this.#parts.directory.ready();
      return fn(solution);
    });
  }
}

export type { SolutionRecord };
