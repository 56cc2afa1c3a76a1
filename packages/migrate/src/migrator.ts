import { EventEmitter } from 'node:events';
import { ConfigurationError, UnknownDatabaseError, type Project } from '@fbs/core';
import createDebug from 'debug';
import { sha256 } from './checksum';
import { runDatabase } from './database-runner';
import { dialectFor } from '@fbs/core/dialect';
import { orderMigrations } from './dependency-order';
import { MigrationAbortedError, MigrationPlanError } from './errors';
import { readHistory } from './history-reader';
import { loadListMigrations, loadMigrations } from './load-migrations';
import type { MigrationEntry } from './migration-entry';
import { runBounded } from './run-bounded';
import { databaseStatus } from './database-status';
import type {
  DatabasePlan, DatabaseRun, DatabaseStatus, DownOptions, MigratorConfig, MigratorEvents, PlanOptions, RunReport, StatusOptions, UpOptions,
} from './types';

const log = createDebug('fbs:migrate');
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Runs each app's migrations on exactly the databases the routers allow (`allowMigrate`), one
 * Umzug per database, with a per-database history table and lock, many databases at once.
 * Progress comes as events; the library never prints.
 *
 * @example
 * ```ts
 * const migrator = new Migrator(project);
 * migrator.on('migration:done', ({ alias, name }) => console.log(`${alias}: ${name}`));
 * const report = await migrator.up({ databases: ['licensing'] });
 * if (report.failed) throw report.databases.find((d) => d.error)!.error;
 * ```
 */
export class Migrator extends EventEmitter<MigratorEvents> {
  readonly project: Project;
  readonly config: Readonly<Required<MigratorConfig>>;
  #entries: MigrationEntry[] | undefined;
  #loading: Promise<MigrationEntry[]> | undefined;

  constructor(project: Project, config: MigratorConfig = {}) {
    super();
    if (!project || typeof project !== 'object' || !project.router || !project.connections) {
      throw new ConfigurationError('new Migrator(project) needs the project from createProject().');
    }
    const historyTable = config.historyTable ?? 'fbs_migrations';
    if (typeof historyTable !== 'string' || !IDENTIFIER.test(historyTable)) {
      throw new ConfigurationError(`historyTable ${JSON.stringify(historyTable)} is not an identifier; use letters, digits and underscores (e.g. 'fbs_migrations').`);
    }
    this.project = project;
    this.config = Object.freeze({ historyTable, concurrency: checkConcurrency(config.concurrency ?? 4, 'concurrency') });
    const listed = loadListMigrations(project.apps.apps());
    if (listed) this.#entries = orderMigrations(listed);
  }

  /** Loads and orders every app's migrations (folders are read once). Other methods call it. */
  async load(): Promise<void> {
    if (this.#entries) return;
    this.#loading ??= loadMigrations(this.project.apps.apps()).then(orderMigrations);
    try {
      this.#entries = await this.#loading;
    } catch (error) {
      this.#loading = undefined;
      throw error;
    }
  }

  /** Every migration of the project, namespaced, in plan order. Call `load()` first when an app uses a folder. */
  migrations(): string[] {
    return this.#loaded('migrations()').map((e) => e.name);
  }

  /**
   * A hash of the migrations planned for `alias` (names and checksums, in order): it changes when a
   * migration routed there is added, removed or edited. Works at once for list migrations; call
   * `await migrator.load()` first when an app declares a folder.
   *
   * @example
   * ```ts
   * await migrator.load();
   * const key = migrator.fingerprint('djo_template_db');
   * ```
   */
  fingerprint(alias: string): string {
    return sha256(this.#planFor(alias, this.#loaded('fingerprint()')).map((e) => `${e.name}:${e.checksum}`).join('\n'));
  }

  /** What `up()` would run per database, without running or creating anything. */
  async plan(options: PlanOptions = {}): Promise<DatabasePlan[]> {
    const entries = await this.#prepare();
    const aliases = this.#targets(options.databases);
    return runBounded(aliases, this.config.concurrency * 2, async (alias) => {
      const plan = this.#planFor(alias, entries);
      const rows = plan.length === 0 ? undefined : await this.#withConnection(alias, () => readHistory(this.project, alias, this.config.historyTable));
      const applied = new Set((rows ?? []).map((r) => r.name));
      return {
        alias,
        pending: plan.filter((e) => !applied.has(e.name)).map((e) => e.name),
        applied: [...applied],
        notRouted: entries.filter((e) => !plan.includes(e)).map((e) => e.name),
      };
    });
  }

  /** Per database, the state of every project migration: applied, pending, not-routed (or unknown), with checksum mismatches. */
  async status(options: StatusOptions = {}): Promise<DatabaseStatus[]> {
    const entries = await this.#prepare();
    const aliases = this.#targets(options.databases);
    const concurrency = checkConcurrency(options.concurrency ?? this.config.concurrency * 2, 'concurrency');
    return runBounded(aliases, concurrency, (alias) => {
      const plan = this.#planFor(alias, entries);
      return this.#withConnection(alias, () => databaseStatus(alias, entries, plan, () => readHistory(this.project, alias, this.config.historyTable)));
    });
  }

  /** Applies pending migrations on each target database (all of them, `to` a name inclusive, or `step` per database). */
  up(options: UpOptions = {}): Promise<RunReport> {
    return this.#run('up', options);
  }

  /** Reverts migrations on each target database: the last one by default, `step` of them, or back to `to` inclusive (`0`: all). */
  down(options: DownOptions = {}): Promise<RunReport> {
    return this.#run('down', options);
  }

  async #run(direction: 'up' | 'down', options: UpOptions | DownOptions): Promise<RunReport> {
    const entries = await this.#prepare();
    const aliases = this.#targets(options.databases);
    const concurrency = checkConcurrency(options.concurrency ?? this.config.concurrency, 'concurrency');
    const { to, step } = options;
    if (to !== undefined && step !== undefined) throw new MigrationPlanError('Pass either `to` or `step`, not both.');
    if (step !== undefined && (!Number.isInteger(step) || step < 1)) throw new MigrationPlanError(`step must be a positive integer, got ${JSON.stringify(step)}.`);
    if (to !== undefined && !(to === 0 && direction === 'down')) this.#checkName(to, entries);
    const lockTimeoutMs = options.lockTimeoutMs === undefined ? undefined : checkTimeout(options.lockTimeoutMs);
    const signal = options.signal;
    const plans = new Map(aliases.map((alias) => [alias, this.#planFor(alias, entries)]));
    let stopped = false;
    const databases = await runBounded(aliases, concurrency, async (alias): Promise<DatabaseRun> => {
      if (stopped || signal?.aborted) return { alias, outcome: 'not-run', applied: [], reverted: [] };
      let result;
      try {
        result = await this.#withConnection(alias, () =>
          runDatabase({ project: this.project, historyTable: this.config.historyTable, events: this }, alias, {
            direction, plan: plans.get(alias)!, to, step, wait: options.wait ?? true, lockTimeoutMs, signal,
          }),
        );
      } catch (error) {
        result = { done: [], pending: [], error: error instanceof Error ? error : new Error(String(error)) };
      }
      const names = { applied: direction === 'up' ? result.done : [], reverted: direction === 'down' ? result.done : [] };
      if (!result.error) {
        this.emit('database:done', { alias, ...names });
        return { alias, outcome: 'ok', ...names };
      }
      const aborted = result.error instanceof MigrationAbortedError;
      if (!options.continueOnError || aborted) stopped = true;
      log('%s %s: %s', alias, aborted ? 'aborted' : 'failed', result.error.message);
      this.emit('database:error', { alias, error: result.error, ...names });
      return { alias, outcome: aborted ? 'aborted' : 'failed', ...names, pending: result.pending, error: result.error };
    });
    return { direction, databases, failed: databases.filter((d) => d.outcome === 'failed').length, aborted: Boolean(signal?.aborted) };
  }

  async #prepare(): Promise<MigrationEntry[]> {
    await this.load();
    return this.#entries!;
  }

  #loaded(what: string): MigrationEntry[] {
    if (this.#entries) return this.#entries;
    throw new ConfigurationError(`Migrator.${what} needs the migration folders loaded: call \`await migrator.load()\` first.`);
  }

  #planFor(alias: string, entries: readonly MigrationEntry[]): MigrationEntry[] {
    return entries.filter((e) => this.project.router.allowMigrate(alias, e.appLabel, e.hints));
  }

  /** Runs `fn`; closes the alias's pool afterwards if this call opened it (a thousand databases must not mean a thousand pools). */
  async #withConnection<T>(alias: string, fn: () => Promise<T>): Promise<T> {
    const wasOpen = this.project.connections.isOpen(alias);
    try {
      return await fn();
    } finally {
      if (!wasOpen && this.project.connections.isOpen(alias)) await this.project.connections.closeOne(alias);
    }
  }

  #targets(databases: readonly string[] | undefined): string[] {
    const connections = this.project.connections;
    if (databases !== undefined && !Array.isArray(databases)) {
      throw new ConfigurationError(`\`databases\` must be a list of aliases, got ${JSON.stringify(databases)}.`);
    }
    const aliases = databases === undefined ? connections.aliases() : [...new Set(databases)];
    for (const alias of aliases) {
      if (!connections.has(alias)) throw new UnknownDatabaseError(alias, connections.aliases(), 'migrator');
      dialectFor(connections.config(alias).dialect, `Database '${alias}'`);
    }
    return aliases;
  }

  #checkName(name: unknown, entries: readonly MigrationEntry[]): void {
    if (typeof name === 'string' && entries.some((e) => e.name === name)) return;
    const app = typeof name === 'string' ? name.split('/')[0] : '';
    const near = entries.filter((e) => e.appLabel === app).map((e) => e.name);
    throw new MigrationPlanError(
      `No migration is named ${JSON.stringify(name)}. Use a namespaced name 'app_label/name'` +
        (near.length ? `; app '${app}' ships ${near.slice(-5).join(', ')}.` : '; see `fbs-migrate status` for the names.'),
    );
  }
}

function checkTimeout(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ConfigurationError(`lockTimeoutMs must be a whole number of milliseconds (0 or more), got ${JSON.stringify(value)}.`);
}

function checkConcurrency(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new ConfigurationError(`${what} must be a positive integer, got ${JSON.stringify(value)}.`);
}
