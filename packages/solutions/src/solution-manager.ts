import { EventEmitter } from 'node:events';
import createDebug from 'debug';
import { ConfigurationError, normalizeDatabaseConfig, type Project } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { SolutionCatalogue, type SolutionRecord } from './catalogue';
import type { CreateOptions, DropOptions, MigrateAllOptions, SolutionsConfig } from './config';
import { ConfirmationRequiredError, SolutionStateError, UnknownSolutionError } from './errors';
import type { ProvisionedVia, SolutionEvents } from './events';
import type { SolutionMigrator } from './migrator-contract';
import { DEFAULT_DATABASE_TEMPLATES, SolutionNaming } from './naming';
import { ConnectionCap, type PoolCapStats } from './pool-cap';
import { PostgresAdmin, ident, type AdminSession } from './postgres-admin';
import { SolutionRoles } from './roles';
import { SolutionConnections } from './solution-connections';
import type { SolutionInfo } from './solution-info';
import { validateSolutionName } from './solution-name';
import { TemplateStore } from './template-store';
import { migrateSolutions, type MigrateAllReport } from './migrate-all';

const log = createDebug('fbs:solutions');

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
  readonly #admin: PostgresAdmin;
  readonly #catalogue: SolutionCatalogue;
  readonly #cap: ConnectionCap;
  readonly #connections: SolutionConnections;
  readonly #roles: SolutionRoles | undefined;
  readonly #templates: TemplateStore | undefined;
  readonly #taken: ReadonlySet<string>;
  readonly #running = new Map<string, Promise<unknown>>();
  /** Solutions known to be ready (a cache of the catalogue; `withSolution` needs no query for them). */
  readonly #usable = new Set<string>();
  #migrator: Promise<SolutionMigrator> | undefined;
  #init: Promise<void> | undefined;
  #closed = false;

  constructor(project: Project, config: SolutionsConfig = {}) {
    super();
    if (!project || typeof project !== 'object' || !project.connections) throw new ConfigurationError('new SolutionManager(project) needs the project from createProject().');
    this.project = project;
    this.config = Object.freeze({ ...config });
    this.naming = new SolutionNaming(config.databases ?? DEFAULT_DATABASE_TEMPLATES);
    const systemAlias = config.systemAlias ?? 'default';
    if (!project.connections.has(systemAlias)) throw new ConfigurationError(`The system database alias '${systemAlias}' (catalogue of solutions) is not configured. Set systemAlias or configure it.`);
    const catalogueTable = config.catalogueTable ?? 'fbs_solutions';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(catalogueTable)) throw new ConfigurationError(`catalogueTable ${JSON.stringify(catalogueTable)} must be a lowercase identifier, e.g. 'fbs_solutions'.`);
    const server = normalizeDatabaseConfig('solutions server', config.server ?? project.connections.config(systemAlias));
    if (server.dialect !== 'postgres') throw new ConfigurationError(`Solution databases need PostgreSQL for now (server dialect is '${server.dialect}').`);
    const perSolution = config.pool?.perSolution ?? 2;
    if (perSolution < 2) throw new ConfigurationError('pool.perSolution must be at least 2: a migration holds a lock connection and a migration connection.');
    this.#roles = config.roles ? new SolutionRoles(config.roles) : undefined;
    this.#admin = new PostgresAdmin(server);
    this.#catalogue = new SolutionCatalogue(project, systemAlias, catalogueTable);
    const isSolution = (alias: string) => this.naming.parse(alias) !== undefined;
    this.#cap = new ConnectionCap(project.connections, isSolution, config.pool);
    this.#connections = new SolutionConnections(this.naming, server, this.#cap, this.#roles, config.templates !== false, config.connection);
    project.connections.setResolver((alias) => this.#connections.resolve(alias));
    this.#taken = new Set(project.connections.aliases().flatMap((a) => (isSolution(a) ? [] : [a, project.connections.config(a).database])));
    if (config.templates !== false) {
      this.#templates = new TemplateStore({
        admin: this.#admin,
        naming: this.naming,
        connections: project.connections,
        roles: this.#roles,
        migrator: () => this.migrator(),
        refreshed: (kind, database, fingerprint) => this.emit('template:refreshed', { kind, database, fingerprint }),
      });
    }
  }

  /** Checks a solution name (see `SOLUTION_NAME_PATTERN`); throws `InvalidSolutionNameError`, runs no SQL. */
  validate(name: unknown): string {
    return validateSolutionName(name, this.naming, { taken: this.#taken, extraNames: this.#roles ? (n) => [this.#roles!.role(n)] : undefined });
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
   * catalogue entry. Idempotent; finishes a creation that was interrupted.
   */
  async create(name: string, options: CreateOptions = {}): Promise<SolutionInfo> {
    const solution = this.validate(name);
    return this.#once(solution, () => this.#create(solution, options));
  }

  /** Drops solution `name` (both databases, role, aliases, catalogue entry). Needs `{ confirm: name }`. */
  async drop(name: string, options: DropOptions = {}): Promise<void> {
    const solution = this.validate(name);
    if (options?.confirm !== solution) throw new ConfirmationRequiredError(solution);
    await this.#once(solution, () => this.#drop(solution));
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

  /** The aliases of a ready solution's databases, registered on the project. `SolutionTargets.databases`. */
  async databases(name: string): Promise<string[]> {
    const solution = await this.#known(name);
    return this.naming.kinds.map((kind) => this.naming.database(kind, solution));
  }

  /**
   * Runs `fn` with the hints of solution `name` (`project.withSolution`), after making sure its
   * aliases resolve: routed models of solution apps go to its databases.
   */
  async withSolution<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const solution = await this.#known(name);
    return this.project.withSolution(solution, fn);
  }

  /** Migrates every ready solution (or `solutions`) with bounded concurrency; one failure does not stop or corrupt the others. */
  async migrateAll(options: MigrateAllOptions = {}): Promise<MigrateAllReport> {
    const names = options.solutions ? await Promise.all(options.solutions.map((n) => this.#known(n))) : await this.list();
    return migrateSolutions(this, await this.migrator(), names, options.concurrency, this.config.plugins ?? []);
  }

  /** Connections of solution pools under the cap: open now, most seen, waiting, evictions. */
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
      throw new UnknownSolutionError(solution, record ? `its creation was interrupted (state '${record.state}'); call create('${solution}') to finish it.` : `it is not in the catalogue. Create it with create('${solution}').`);
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
      const [row] = await this.#admin.query<{ v: string }>('SHOW server_version_num');
      const n = Number(row?.v);
      if (n >= 100000) this.#connections.setDatabaseVersion(`${Math.floor(n / 10000)}.${n % 10000}.0`);
    })().catch((error) => {
      this.#init = undefined;
      throw error;
    });
    return this.#init;
  }

  /** Calls for one solution run one at a time in this process (and under an advisory lock across processes). */
  #once<T>(solution: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#running.get(solution) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.#running.set(solution, next);
    const clear = () => {
      if (this.#running.get(solution) === next) this.#running.delete(solution);
    };
    next.then(clear, clear);
    return next;
  }

  async #create(solution: string, options: CreateOptions): Promise<SolutionInfo> {
    await this.#ready();
    const databases = this.naming.databases(solution);
    // Templates are brought up to date first: a rebuild needs its own admin connection.
    const fingerprints = new Map<string, string>();
    if (this.#templates && (await this.#catalogue.get(solution))?.state !== 'ready') {
      for (const kind of this.naming.kinds) {
        const fingerprint = await this.#templates.prepare(kind, databases[kind]!);
        if (fingerprint) fingerprints.set(kind, fingerprint);
      }
    }
    return this.#admin.withLock(`fbs_solutions:${solution}`, async (session) => {
      const before = await this.#catalogue.get(solution);
      if (before?.state === 'ready') {
        this.#use(solution);
        return before;
      }
      if (before?.state === 'dropping') {
        throw new SolutionStateError(solution, `Solution '${solution}' is being dropped (an earlier drop was interrupted). Finish it with drop('${solution}', { confirm: '${solution}' }), then create it again.`);
      }
      const existing = await existingOf(session, Object.values(databases));
      if (!before && existing.size > 0 && !options.adopt) {
        throw new SolutionStateError(
          solution,
          `Cannot create solution '${solution}': database(s) ${[...existing].map((d) => `'${d}'`).join(', ')} already exist but are not in the catalogue. ` +
            `Drop them, pick another name, or pass { adopt: true } to take them over.`,
        );
      }
      const repairing = before !== undefined;
      await this.#catalogue.begin(solution, databases);
      this.emit('creating', { solution, repairing });
      log('%s %s', repairing ? 'finishing' : 'creating', solution);
      this.#connections.know(solution);
      if (this.#roles) await this.#roles.ensure(session, solution);
      const migrate: string[] = [];
      for (const kind of this.naming.kinds) {
        const database = databases[kind]!;
        const via: ProvisionedVia = existing.has(database) ? 'existing' : await this.#provision(session, kind, database, solution, fingerprints.get(kind));
        if (via !== 'existing') this.emit('database:created', { solution, kind, database, via });
        if (this.#roles) await this.#roles.secure(session, this.#admin, database, solution, this.#templates !== undefined);
        if (via !== 'template') migrate.push(database);
      }
      const applied = migrate.length ? await this.#migrate(solution, migrate) : {};
      const info = (await this.#catalogue.get(solution))!;
      for (const plugin of this.config.plugins ?? []) {
        if (migrate.length) await plugin.migrated?.(info, applied);
        await plugin.created?.(info, this);
      }
      await this.#catalogue.setState(solution, 'ready');
      const ready: SolutionInfo = { ...info, state: 'ready' };
      this.#use(solution);
      this.emit('created', { solution: ready, repaired: repairing });
      return ready;
    });
  }

  async #provision(session: AdminSession, kind: string, database: string, solution: string, fingerprint: string | undefined): Promise<ProvisionedVia> {
    const owner = this.#roles?.role(solution);
    if (this.#templates && fingerprint) {
      try {
        if (await this.#templates.clone(session, kind, database, fingerprint, owner)) return 'template';
      } catch (error) {
        // 55006: someone is connected to the template; fall back to migrating an empty database.
        if ((error as { code?: string }).code !== '55006') throw error;
        log('template of %s busy, migrating %s instead', kind, database);
      }
    }
    await session.query(`CREATE DATABASE ${ident(database)}${owner ? ` OWNER ${ident(owner)}` : ''}`);
    return 'empty';
  }

  async #migrate(solution: string, aliases: string[]): Promise<Record<string, string[]>> {
    const report = await (await this.migrator()).up({ databases: aliases, continueOnError: true });
    const failed = report.databases.find((d) => d.error);
    if (failed?.error) throw failed.error;
    const applied = Object.fromEntries(report.databases.map((d) => [d.alias, [...d.applied]]));
    this.emit('migrated', { solution, applied });
    return applied;
  }

  async #drop(solution: string): Promise<void> {
    await this.#ready();
    await this.#admin.withLock(`fbs_solutions:${solution}`, async (session) => {
      const record = await this.#catalogue.get(solution);
      if (!record) throw new UnknownSolutionError(solution, 'it is not in the catalogue, so nothing was dropped (databases outside the catalogue are never dropped).');
      await this.#catalogue.setState(solution, 'dropping');
      this.#usable.delete(solution);
      this.#connections.forget(solution);
      const databases = Object.values(record.databases);
      for (const database of databases) await this.project.removeDatabase(database);
      for (const database of databases) await session.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
      if (this.#roles) await this.#roles.drop(session, solution);
      for (const plugin of this.config.plugins ?? []) await plugin.dropped?.(solution);
      await this.#catalogue.remove(solution);
      this.emit('dropped', { solution, databases });
    });
  }
}

async function existingOf(session: AdminSession, names: string[]): Promise<Set<string>> {
  const rows = await session.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
  return new Set(rows.map((r) => r.datname));
}

export type { SolutionRecord };
