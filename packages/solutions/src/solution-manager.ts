import { EventEmitter } from 'node:events';
import { ConfigurationError, type Project } from '@fbs/core';
import { dialectFor, type ServerAdmin } from '@fbs/core/dialect';
import { Migrator } from '@fbs/migrate';
import { SolutionCatalogue, type SolutionRecord } from './catalogue';
import type { CreateOptions, DropOptions, MigrateAllOptions, SolutionsConfig } from './config';
import { ConfirmationRequiredError, UnknownSolutionError } from './errors';
import type { SolutionEvents } from './events';
import type { SolutionMigrator } from './migrator-contract';
import { DEFAULT_DATABASE_TEMPLATES, solutionHintsFor, type SolutionNaming } from './naming';
import { ConnectionCap, type PoolCapStats } from './pool-cap';
import type { SolutionRoles } from './roles';
import { SolutionConnections } from './solution-connections';
import type { SolutionInfo } from './solution-info';
import { solutionNameGuard, validateSolutionName, type SolutionNameRules } from './solution-name';
import { OneAtATime } from './one-at-a-time';
import { TemplateGate } from './template-gate';
import { TemplateStore } from './template-store';
import { resolveSolutionsConfig } from './resolve-config';
import { createSolution, dropSolution, type LifecycleHost } from './solution-lifecycle';
import { migrateSolutions, type MigrateAllReport } from './migrate-all';

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
  readonly #admin: ServerAdmin;
  readonly #catalogue: SolutionCatalogue;
  readonly #removeResolver: () => void;
  readonly #cap: ConnectionCap;
  readonly #connections: SolutionConnections;
  readonly #roles: SolutionRoles | undefined;
  readonly #templates: TemplateStore | undefined;
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
    const { naming, systemAlias, catalogueTable, server, template, roles } = resolveSolutionsConfig(project, config);
    this.project = project;
    this.config = Object.freeze({ ...config });
    this.naming = naming;
    this.#roles = roles;
    this.#admin = dialectFor(server.dialect, 'The solutions server').serverAdmin(server, { applicationName: 'fbs-solutions', logNamespace: 'fbs:solutions:sql' });
    this.#catalogue = new SolutionCatalogue(project, systemAlias, catalogueTable);
    const isSolution = (alias: string) => naming.parse(alias) !== undefined;
    this.#cap = new ConnectionCap(project.connections, (alias) => naming.parse(alias)?.solution, config.pool, naming.kinds.length);
    this.#connections = new SolutionConnections(naming, server, this.#cap, roles, template, config.connection);
    // Template databases are not a tenant: their aliases resolve only while the store migrates them.
    const gate = new TemplateGate(naming, template, project);
    this.#removeResolver = project.connections.addResolver((alias) => (gate.closed(alias) ? undefined : this.#connections.resolve(alias)));
    const taken = new Set([server.database, ...project.connections.aliases().flatMap((a) => (isSolution(a) ? [] : [a, project.connections.config(a).database]))]);
    this.#rules = { taken, extraNames: roles ? (n) => [roles.role(n)] : undefined };
    this.#removeGuard = project.addSolutionGuard(this.nameGuard());
    // Core knows only `hints.solution`; the manager adds its naming (`database`: the first kind's database, `djo_{name}_db` by default).
    this.#removeHints = project.addSolutionHints(solutionHintsFor(config.databases ?? DEFAULT_DATABASE_TEMPLATES));
    if (template !== undefined) {
      const [admin, connections, migrator] = [this.#admin, project.connections, () => this.migrator()];
      this.#templates = new TemplateStore({ name: template, admin, naming, connections, roles, migrator, access: (database, fn) => gate.access(database, fn),
        refreshed: (kind, database, fingerprint) => this.emit('template:refreshed', { kind, database, fingerprint }),
      });
    }
    this.#lifecycle = {
      manager: this,
      project,
      naming: this.naming,
      admin: this.#admin,
      catalogue: this.#catalogue,
      connections: this.#connections,
      roles: this.#roles,
      templates: this.#templates,
      plugins: config.plugins ?? [],
      parallelProvisioning: config.parallelProvisioning !== false,
      migrator: () => this.migrator(),
      emit: (event, ...args) => void (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
      usable: (solution, ready) => (ready ? this.#use(solution) : this.#usable.delete(solution)),
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
    return this.#admin.session((session) => roles.connectable(session, solution));
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
   * const info = await solutions.create('acme_corp'); // { name, state: 'ready', databases: { djo, fbs }, createdAt }
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
    for (const r of records) if (r.state === 'ready') this.#use(r.name);
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
    return this.project.withSolution(solution, fn);
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
    return migrateSolutions(this, await this.migrator(), names, { concurrency: options.concurrency, signal: options.signal }, this.config.plugins ?? [], this.#cap.config);
  }

  /**
   * Connections of solution pools under the cap: open now, most seen, waiting, evictions.
   *
   * @example
   * ```ts
   * const { open, cap } = solutions.poolStats();
   * ```
   */
  poolStats(): PoolCapStats {
    return this.#cap.stats();
  }

  /** The cap itself (e.g. to reset `maxSeen` or sweep idle pools now). */
  get cap(): ConnectionCap {
    return this.#cap;
  }

  /** Drops the template databases (they are rebuilt on the next create). */
  async dropTemplates(): Promise<void> {
    await this.#templates?.dropAll();
  }

  /** Closes the admin connections and the idle timer; solution pools close with the project. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#removeResolver();
    this.#removeGuard();
    this.#removeHints();
    this.#cap.close();
    await this.#admin.close();
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
    this.#use(solution);
    return solution;
  }

  #use(solution: string): void {
    this.#usable.add(solution);
    this.#connections.know(solution);
  }

  #ready(): Promise<void> {
    this.#init ??= (async () => {
      await this.#catalogue.ensure();
      const version = await this.#admin.session((session) => this.#admin.dialect.serverVersion(session));
      if (version) this.#connections.setDatabaseVersion(version);
    })().catch((error) => {
      this.#init = undefined;
      throw error;
    });
    return this.#init;
  }
}

export type { SolutionRecord };
