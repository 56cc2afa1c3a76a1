import { EventEmitter } from 'node:events';
import { ConfigurationError, migrationConfig, type Project } from '@fbs/core';
import { dialectFor, type ServerAdmin } from '@fbs/core/dialect';
import { Migrator } from '@fbs/migrate';
import { SolutionCatalogue, type SolutionRecord } from './catalogue';
import type { CreateOptions, DropOptions, MigrateAllOptions, SolutionsConfig } from './config';
import { ConfirmationRequiredError, UnknownSolutionError } from './errors';
import type { SolutionEvents } from './events';
import type { SolutionMigrator } from './migrator-contract';
import { DEFAULT_DATABASE_TEMPLATES, solutionHintsFor, type SolutionNaming } from './naming';
import type { ConnectionCap, PoolCapStats } from './pool-cap';
import { SolutionServers } from './solution-servers';
import { WriteFreeze } from './write-freeze';
import { moveSolution, type MoveOptions, type MoveReport } from './solution-move';
import { movedAway, type PlacementCheck } from './moved-away';
import type { SolutionRoles } from './roles';
import { SolutionConnections } from './solution-connections';
import type { SolutionInfo } from './solution-info';
import { solutionNameGuard, validateSolutionName, type SolutionNameRules } from './solution-name';
import { OneAtATime } from './one-at-a-time';
import { resolveSolutionsConfig } from './resolve-config';
import { createSolution, dropSolution, type LifecycleHost } from './solution-lifecycle';
import { migrateSolutions, type MigrateAllReport } from './migrate-all';
import { runEachSolution, type RunEachOptions, type RunEachReport, type SolutionTask } from './run-each';
import { seedEachSolution, type SeedEachOptions } from './seed-each';
import type { SeedReport } from '@fbs/migrate';

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
  /** Where solution locks are taken: the system database's server. */
  readonly #lockAdmin: ServerAdmin;
  /**
   * The servers solutions live on: `list()`, `add()` at runtime, `drain()`, `rebalance()` plans.
   *
   * @example
   * ```ts
   * solutions.servers.add('pg4', 'postgres://admin@pg4.internal/postgres');
   * ```
   */
  readonly servers: SolutionServers;
  readonly #freeze: WriteFreeze;
  readonly #catalogue: SolutionCatalogue;
  readonly #removeResolver: () => void;
  readonly #connections: SolutionConnections;
  readonly #roles: SolutionRoles | undefined;
  /** What `validate` checks besides the pattern: the project's and server's databases, role names. */
  readonly #rules: SolutionNameRules;
  /** Calls for one solution run one at a time in this process (and under an advisory lock across processes). */
  readonly #serial = new OneAtATime();
  /** Solutions known to be ready (a cache of the catalogue; `withSolution` needs no query for them). */
  readonly #usable = new Set<string>();
  readonly #lifecycle: LifecycleHost;
  #migrator: Promise<SolutionMigrator> | undefined;
  #init: Promise<void> | undefined;
  #closed = false;
  readonly #removeGuard: () => void;
  readonly #removeHints: () => void;

  constructor(project: Project, config: SolutionsConfig = {}) {
    super();
    const resolved = resolveSolutionsConfig(project, config);
    const { naming, systemAlias, catalogueTable, template, roles } = resolved;
    this.project = project;
    this.config = Object.freeze({ ...config });
    this.naming = naming;
    this.#roles = roles;
    this.#freeze = new WriteFreeze(config.freezeWaitMs);
    const { lockServer } = resolved;
    this.#lockAdmin = dialectFor(lockServer.dialect, 'The system database').serverAdmin(migrationConfig('system database', lockServer), {
      // On its `migrationUrl` when set: the admin locks are session locks, which a transaction pooler cannot keep.
      applicationName: 'fbs-solutions', logNamespace: 'fbs:solutions:sql', refusePooler: lockServer.migrationUrl === undefined,
    });
    this.#catalogue = new SolutionCatalogue(project, systemAlias, catalogueTable, () => resolved.legacyServer);
    const isSolution = (alias: string) => naming.parse(alias) !== undefined;
    this.servers = new SolutionServers({
      project, naming, roles, template, pool: config.pool, servers: resolved.servers, placement: resolved.placement, catalogue: this.#catalogue,
      connections: () => this.#connections,
      migrator: () => this.migrator(),
      refreshed: (server, kind, database, fingerprint) => this.emit('template:refreshed', { server, kind, database, fingerprint }),
    });
    const { gate, registry } = this.servers;
    const connections = (this.#connections = new SolutionConnections(naming, (name) => registry.get(name), roles, template, config.connection));
    this.#removeResolver = project.connections.addResolver((alias) => (gate.closed(alias) ? undefined : connections.resolve(alias)));
    const serverDatabases = resolved.servers.map((s) => s.config.database);
    const taken = new Set([...serverDatabases, ...project.connections.aliases().flatMap((a) => (isSolution(a) ? [] : [a, project.connections.config(a).database]))]);
    this.#rules = { taken, extraNames: roles ? (n) => [roles.role(n)] : undefined };
    const guard = this.nameGuard();
    this.#removeGuard = project.addSolutionGuard((name) => {
      guard(name);
      this.#freeze.check(name as string);
    });
    // Core knows only `hints.solution`; the manager adds its naming (`database`: the first kind's database, `djo_{name}_db` by default).
    this.#removeHints = project.addSolutionHints(solutionHintsFor(config.databases ?? DEFAULT_DATABASE_TEMPLATES));
    this.#lifecycle = {
      manager: this,
      project,
      naming: this.naming,
      lockAdmin: this.#lockAdmin,
      servers: registry,
      catalogue: this.#catalogue,
      connections: this.#connections,
      roles: this.#roles,
      templated: template !== undefined,
      plugins: config.plugins ?? [],
      parallelProvisioning: config.parallelProvisioning !== false,
      place: (solution, server) => this.servers.place(solution, server),
      migrator: () => this.migrator(),
      emit: (event, ...args) => void (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
      usable: (solution, ready) => (ready ? this.#usable.add(solution) : this.#usable.delete(solution)),
    };
  }

  /** Checks a solution name (see `SOLUTION_NAME_PATTERN`); throws `InvalidSolutionNameError`, runs no SQL. */
  validate(name: unknown): string {
    return validateSolutionName(name, this.naming, this.#rules);
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
    return solutionNameGuard(this.naming, this.#rules);
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
    const roles = this.#roles;
    if (!roles) throw new ConfigurationError('connectableDatabases() needs per-solution roles: set roles in the SolutionsConfig.');
    const names = new Set<string>();
    for (const server of this.servers.registry.all()) for (const d of await server.admin.session((session) => roles.connectable(session, solution))) names.add(d);
    return [...names].sort();
  }

  /** The migrator solutions are migrated with (built from `config.migrator` on first use). */
  migrator(): Promise<SolutionMigrator> {
    this.#migrator ??= (async () => {
      const given = this.config.migrator;
      const migrator = given && typeof (given as SolutionMigrator).up === 'function' ? (given as SolutionMigrator) : new Migrator(this.project, given as object);
      await migrator.load?.();
      return migrator;
    })();
    return this.#migrator;
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
    const solution = this.validate(name);
    return this.#serial.run(solution, async () => {
      await this.#ready();
      return createSolution(this.#lifecycle, solution, options);
    });
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
    await this.#serial.run(solution, async () => {
      await this.#ready();
      await dropSolution(this.#lifecycle, solution);
    });
  }

  /** Names of every ready solution (from the catalogue). `SolutionTargets.list`. */
  async list(): Promise<string[]> {
    return (await this.records()).filter((r) => r.state === 'ready').map((r) => r.name);
  }

  /** Every catalogued solution with its state and databases (including interrupted ones). */
  async records(): Promise<SolutionInfo[]> {
    await this.#ready();
    const records = await this.#catalogue.list();
    for (const r of records) if (r.state === 'ready' && !r.move) this.#use(r);
    return records;
  }

  /** One solution's catalogue entry, or undefined. */
  async info(name: string): Promise<SolutionInfo | undefined> {
    const solution = this.validate(name);
    await this.#ready();
    return this.#catalogue.get(solution);
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
    const exit = await this.#freeze.enter(solution);
    const used = this.#connections.placement(solution);
    try {
      return await this.project.withSolution(solution, fn);
    } catch (error) {
      // Moved by another process (its source read-only, or gone): point the aliases at the new server.
      throw (await movedAway(error, solution, () => this.#recheck(solution, used))) ?? error;
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
    await this.#ready();
    return this.#recheck(solution, this.#connections.placement(solution));
  }

  /** {@link refresh}, `'moved'` when the catalogue's servers differ from `used` (those a failed call ran on). */
  async #recheck(solution: string, used: Readonly<Record<string, string>> | undefined): Promise<PlacementCheck> {
    const record = await this.#catalogue.get(solution);
    if (!record || record.state !== 'ready') return 'unchanged';
    const differs = (placement: Readonly<Record<string, string>> | undefined) => !placement || this.naming.kinds.some((k) => placement[k] !== record.servers[k]);
    if (differs(this.#connections.placement(solution))) for (const database of Object.values(record.databases)) await this.project.removeDatabase(database);
    this.#use(record);
    return differs(used) ? 'moved' : record.move ? 'moving' : 'unchanged';
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
    const solution = this.validate(name);
    return this.#serial.run(solution, async () => {
      await this.#ready();
      return moveSolution({ ...this.#lifecycle, freeze: this.#freeze }, solution, options);
    });
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
    this.#removeResolver();
    this.#removeGuard();
    this.#removeHints();
    await this.servers.registry.close();
    await this.#lockAdmin.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #known(name: string): Promise<string> {
    const solution = this.validate(name);
    if (this.#usable.has(solution)) return solution;
    await this.#ready();
    const record = await this.#catalogue.get(solution);
    if (record?.state !== 'ready') {
      const how = `\`fbs-solutions create ${solution}\` (API: create('${solution}'))`;
      throw new UnknownSolutionError(solution, record ? `its creation was interrupted (state '${record.state}'); finish it with ${how}.` : `it is not in the catalogue. Create it with ${how}.`);
    }
    this.#use(record);
    return solution;
  }

  #use(record: SolutionInfo): void {
    this.#usable.add(record.name);
    // A move under way (journal before its switch) still serves from the source: the recorded servers.
    this.#connections.know(record.name, record.servers);
  }

  #ready(): Promise<void> {
    this.#init ??= (async () => {
      await this.#catalogue.ensure();
      // One server: its version spares every cold pool Sequelize's probe (with several, each pool probes its own).
      const [only, ...others] = this.servers.registry.all();
      const version = others.length ? undefined : await only!.admin.session((session) => only!.admin.dialect.serverVersion(session));
      if (version) this.#connections.setDatabaseVersion(version);
    })().catch((error) => {
      this.#init = undefined;
      throw error;
    });
    return this.#init;
  }
}

export type { SolutionRecord };
