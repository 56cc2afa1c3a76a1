import { EventEmitter } from 'node:events';
import { ConfigurationError, type Project } from '@fbs/core';
import createDebug from 'debug';
import { sha256 } from './checksum';
import { runDatabase } from './database-runner';
import { orderMigrations } from './dependency-order';
import { MigrationAbortedError, MigrationPlanError } from './errors';
import { readHistory } from './history-reader';
import { repairHistory, type HistoryRepair, type RepairRequest } from './history-repair';
import { loadListMigrations, loadMigrations } from './load-migrations';
import type { MigrationEntry } from './migration-entry';
import { checkRunnerConfig } from './runner-config';
import { runBounded } from './run-bounded';
import { withConnection } from './with-connection';
import { previewSql, type DatabaseSql, type SqlOptions } from './sql-preview';
import { databaseStatus } from './database-status';
import { checkConcurrency, checkMigrationName, runArguments, targetAliases } from './migrator-arguments';
import { checkDatabase, type DatabaseCheck } from './migration-check';
import { conflictError, findConflicts, type MigrationConflict } from './migration-conflicts';
import type {
  DatabasePlan, DatabaseRun, DatabaseStatus, DownOptions, MigratorConfig, MigratorEvents, PlanOptions, RunReport, StatusOptions, TargetOptions, UpOptions,
} from './types';

const log = createDebug('fbs:migrate');

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
  #conflicts: MigrationConflict[] = [];
  #loading: Promise<MigrationEntry[]> | undefined;

  constructor(project: Project, config: MigratorConfig = {}) {
    super();
    const historyTable = checkRunnerConfig(project, 'new Migrator(project)', config.historyTable, 'fbs_migrations', 'historyTable');
    this.project = project;
    this.config = Object.freeze({ historyTable, concurrency: checkConcurrency(config.concurrency ?? 4, 'concurrency') });
    const listed = loadListMigrations(project.apps.apps());
    if (listed) this.#setEntries(orderMigrations(listed));
  }

  /** Loads and orders every app's migrations (folders are read once). Other methods call it. */
  async load(): Promise<void> {
    if (this.#entries) return;
    this.#loading ??= loadMigrations(this.project.apps.apps()).then(orderMigrations);
    try {
      this.#setEntries(await this.#loading);
    } catch (error) {
      this.#loading = undefined;
      throw error;
    }
  }

  /**
   * Migrations of one app that share a number and where neither depends on the other (two
   * developers' `0003_*`). `plan`, `up` and `down` refuse to run while there are any; `status` and
   * `check` report them. Call `load()` first when an app uses a folder.
   *
   * @example
   * ```ts
   * await migrator.load();
   * migrator.conflicts(); // [{ appLabel: 'billing', number: '0003', names: ['billing/0003_a', 'billing/0003_b'] }]
   * ```
   */
  conflicts(): MigrationConflict[] {
    this.#loaded('conflicts()');
    return this.#conflicts.map((c) => ({ ...c, names: [...c.names] }));
  }

  /** Every migration of the project, namespaced, in plan order. Call `load()` first when an app uses a folder. */
  migrations(): string[] {
    return this.#loaded('migrations()').map((e) => e.name);
  }

  /**
   * Labels of the apps that ship no migration yet (an empty folder or list, or none declared), in
   * app order. Call `load()` first when an app uses a folder.
   *
   * @example
   * ```ts
   * await migrator.load();
   * for (const label of migrator.appsWithoutMigrations()) console.log(`${label}: no migrations yet`);
   * ```
   */
  appsWithoutMigrations(): string[] {
    const withSome = new Set(this.#loaded('appsWithoutMigrations()').map((e) => e.appLabel));
    return this.project.apps.apps().map((app) => app.label).filter((label) => !withSome.has(label));
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
    const entries = await this.#prepare(true);
    const aliases = targetAliases(this.project, options.databases);
    return runBounded(aliases, this.config.concurrency * 2, async (alias) => {
      const plan = this.#planFor(alias, entries);
      const rows = plan.length === 0 ? undefined : await withConnection(this.project, alias, () => readHistory(this.project, alias, this.config.historyTable));
      const applied = new Set((rows ?? []).map((r) => r.name));
      return {
        alias,
        pending: plan.filter((e) => !applied.has(e.name)).map((e) => e.name),
        applied: [...applied],
        notRouted: entries.filter((e) => !plan.includes(e)).map((e) => e.name),
      };
    });
  }

  /**
   * `plan --sql` / `sqlmigrate`: per database, the SQL the pending migrations (or `name` only) would
   * run, captured in a transaction that is rolled back; `transaction: false` ones are listed as not
   * previewable. Example: `(await migrator.sql({ databases: ['default'] }))[0].migrations[0].sql`.
   */
  async sql(options: SqlOptions = {}): Promise<DatabaseSql[]> {
    const entries = await this.#prepare(true);
    if (options.name !== undefined) checkMigrationName(options.name, entries);
    return runBounded(targetAliases(this.project, options.databases), this.config.concurrency, (alias) =>
      withConnection(this.project, alias, () => previewSql(this.project, this.config.historyTable, alias, this.#planFor(alias, entries), options.name)));
  }

  /** Per database, the state of every project migration: applied, pending, not-routed (or unknown), with checksum mismatches. */
  async status(options: StatusOptions = {}): Promise<DatabaseStatus[]> {
    const entries = await this.#prepare();
    const aliases = targetAliases(this.project, options.databases);
    const concurrency = checkConcurrency(options.concurrency ?? this.config.concurrency * 2, 'concurrency');
    return runBounded(aliases, concurrency, (alias) => {
      const plan = this.#planFor(alias, entries);
      return withConnection(this.project, alias, () => databaseStatus(alias, entries, plan, () => readHistory(this.project, alias, this.config.historyTable)))
        .then((status) => {
          const conflicts = this.#conflictsIn(plan);
          return conflicts.length > 0 ? { ...status, conflicts } : status;
        });
    });
  }

  /**
   * The CI verdict per database (Django `migrate --check`): `ok: false` with the reasons when
   * anything is pending, edited after it was applied, unknown (recorded, not shipped), conflicting,
   * or the database cannot be read. Reads only; never throws for one database.
   *
   * @example
   * ```ts
   * const verdicts = await migrator.check({ databases: ['default'] });
   * if (verdicts.some((v) => !v.ok)) process.exitCode = 1;
   * ```
   */
  async check(options: StatusOptions = {}): Promise<DatabaseCheck[]> {
    const statuses = await this.status(options);
    return statuses.map((status) => checkDatabase(status, status.conflicts ?? []));
  }

  #conflictsIn(plan: readonly MigrationEntry[]): MigrationConflict[] {
    const names = new Set(plan.map((e) => e.name));
    return this.#conflicts.filter((c) => c.names.some((n) => names.has(n)));
  }

  /** Applies pending migrations on each target database (all of them, `to` a name inclusive, or `step` per database). */
  up(options: UpOptions = {}): Promise<RunReport> {
    return this.#run('up', options);
  }

  /** Reverts migrations on each target database: the last one by default, `step` of them, or back to `to` inclusive (`0`: all). */
  down(options: DownOptions = {}): Promise<RunReport> {
    return this.#run('down', options);
  }

  /**
   * `history forget NAME`: deletes the history row of `name` on each target database (under its
   * migration lock), e.g. a migration no app ships any more. Runs nothing; a database without the
   * row reports `not-recorded`.
   *
   * @example
   * ```ts
   * await migrator.forget('billing/0004_removed', { databases: ['default'] }); // [{ alias: 'default', outcome: 'forgotten', before: '…' }]
   * ```
   */
  async forget(name: string, options: TargetOptions = {}): Promise<HistoryRepair[]> {
    await this.#prepare();
    if (typeof name !== 'string' || !/^[^/]+\/[^/]+$/.test(name)) throw new MigrationPlanError(`history forget needs a namespaced name 'app_label/name', got ${JSON.stringify(name)}.`);
    return this.#repair(options, { kind: 'forget', name });
  }

  /**
   * `history accept NAME`: records the current checksum of the shipped migration `name` on each
   * target database where it is applied with another one (it was edited after it was applied and
   * the edit is harmless), under the migration lock. Runs nothing.
   *
   * @example
   * ```ts
   * await migrator.accept('billing/0001_initial'); // [{ alias: 'default', outcome: 'accepted', before, after }]
   * ```
   */
  async accept(name: string, options: TargetOptions = {}): Promise<HistoryRepair[]> {
    const entries = await this.#prepare();
    checkMigrationName(name, entries);
    return this.#repair(options, { kind: 'accept', name, entry: entries.find((e) => e.name === name)! });
  }

  #repair(options: TargetOptions, request: RepairRequest): Promise<HistoryRepair[]> {
    const aliases = targetAliases(this.project, options.databases);
    return runBounded(aliases, this.config.concurrency, (alias) => withConnection(this.project, alias, () => repairHistory(this.project, this.config.historyTable, alias, request)));
  }

  async #run(direction: 'up' | 'down', options: UpOptions | DownOptions): Promise<RunReport> {
    const entries = await this.#prepare(true);
    const aliases = targetAliases(this.project, options.databases);
    const concurrency = checkConcurrency(options.concurrency ?? this.config.concurrency, 'concurrency');
    const { to, step, lockTimeoutMs, fake, only } = runArguments(direction, options, entries, this.project);
    const signal = options.signal;
    const plans = new Map(aliases.map((alias) => [alias, this.#planFor(alias, entries).filter((e) => !only || only.has(e.name))]));
    let stopped = false;
    const databases = await runBounded(aliases, concurrency, async (alias): Promise<DatabaseRun> => {
      if (stopped || signal?.aborted) return { alias, outcome: 'not-run', applied: [], reverted: [] };
      let result;
      try {
        result = await withConnection(this.project, alias, () =>
          runDatabase({ project: this.project, historyTable: this.config.historyTable, events: this }, alias, {
            direction, plan: plans.get(alias)!, to, step, wait: options.wait ?? true, lockTimeoutMs, signal, fake,
          }),
        );
      } catch (error) {
        result = { done: [], faked: [], pending: [], error: error instanceof Error ? error : new Error(String(error)) };
      }
      const names = { applied: direction === 'up' ? result.done : [], reverted: direction === 'down' ? result.done : [], ...(result.faked.length ? { faked: result.faked } : {}) };
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

  /** Loads; with `refuseConflicts`, throws (before anything runs) when the project has conflicting migrations. */
  async #prepare(refuseConflicts = false): Promise<MigrationEntry[]> {
    await this.load();
    if (refuseConflicts && this.#conflicts.length > 0) throw conflictError(this.#conflicts);
    return this.#entries!;
  }

  #setEntries(entries: MigrationEntry[]): void {
    this.#entries = entries;
    this.#conflicts = findConflicts(entries);
  }

  #loaded(what: string): MigrationEntry[] {
    if (this.#entries) return this.#entries;
    throw new ConfigurationError(`Migrator.${what} needs the migration folders loaded: call \`await migrator.load()\` first.`);
  }

  #planFor(alias: string, entries: readonly MigrationEntry[]): MigrationEntry[] {
    return entries.filter((e) => this.project.router.allowMigrate(alias, e.appLabel, e.hints));
  }
}
