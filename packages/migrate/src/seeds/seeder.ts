import { EventEmitter } from 'node:events';
import { closest, ConfigurationError, DatabaseUnavailableError, isConnectionFailure, UnknownDatabaseError, type Project, type SeedContext } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
import { runBounded } from '../run-bounded';
import type { SeedEntry } from './seed-entry';
import { SeedFailedError, SeedPlanError } from './seed-errors';
import { SeedHistory, type SeedRow } from './seed-history';
import { checkRunnerConfig } from '../runner-config';
import { loadSeeds } from './load-seeds';
import type { DatabaseSeedPlan, DatabaseSeedRun, SeederConfig, SeederEvents, SeedOptions, SeedReport, SeedTargetOptions } from './seed-types';


/**
 * Runs each app's seeds (`defineApp({ seeds })`) on the databases its routers allow
 * (`allowMigrate`, as for migrations), once per database: each seed runs in one transaction with its
 * row in that database's seed history, so a failing seed leaves neither behind, and a seed the
 * history records is not run again unless `always` is set. Progress comes as events.
 *
 * @example
 * ```ts
 * const seeder = new Seeder(project);
 * const report = await seeder.run({ databases: ['licensing'] });
 * if (report.failed) throw report.databases.find((d) => d.error)!.error;
 * ```
 */
export class Seeder extends EventEmitter<SeederEvents> {
  readonly project: Project;
  readonly config: Readonly<Required<SeederConfig>>;
  #entries: Promise<SeedEntry[]> | undefined;

  constructor(project: Project, config: SeederConfig = {}) {
    super();
    const table = checkRunnerConfig(project, 'new Seeder(project)', config.table, 'fbs_seeds', 'Seeder table');
    this.project = project;
    this.config = Object.freeze({ table, concurrency: positive(config.concurrency ?? 4, 'concurrency') });
  }

  /** Every seed of the project (namespaced), in run order: app order, then name. */
  async seeds(): Promise<string[]> {
    return (await this.#load()).map((e) => e.name);
  }

  /** Per database: the seeds `run()` would run, those already recorded (and edited since), those not routed there. */
  async plan(options: SeedTargetOptions = {}): Promise<DatabaseSeedPlan[]> {
    const { aliases, entries } = await this.#select(options);
    return runBounded(aliases, this.config.concurrency * 2, async (alias) => {
      const plan = this.#planFor(alias, entries);
      const rows = plan.length === 0 ? [] : await this.#open(alias, (history) => history.rows());
      const recorded = new Map((rows ?? []).map((r) => [r.name, r]));
      return {
        alias,
        pending: plan.filter((e) => !recorded.has(e.name)).map((e) => e.name),
        done: plan.filter((e) => recorded.has(e.name)).map((e) => e.name),
        edited: plan.filter((e) => recorded.has(e.name) && recorded.get(e.name)!.checksum !== e.checksum).map((e) => e.name),
        notRouted: entries.filter((e) => !plan.includes(e)).map((e) => e.name),
      };
    });
  }

  /** Runs the seeds due on each target database (every seed with `always`), databases with bounded concurrency. */
  async run(options: SeedOptions = {}): Promise<SeedReport> {
    const { aliases, entries } = await this.#select(options);
    const concurrency = positive(options.concurrency ?? this.config.concurrency, 'concurrency');
    let stopped = false;
    const databases = await runBounded(aliases, concurrency, async (alias): Promise<DatabaseSeedRun> => {
      if (stopped) return { alias, outcome: 'not-run', ran: [], skipped: [] };
      const result = await this.#seedDatabase(alias, this.#planFor(alias, entries), Boolean(options.always));
      if (!result.error) {
        this.emit('database:done', { alias, ran: result.ran, skipped: result.skipped });
        return { alias, outcome: 'ok', ran: result.ran, skipped: result.skipped };
      }
      if (!options.continueOnError) stopped = true;
      this.emit('database:error', { alias, error: result.error, ran: result.ran });
      return { alias, outcome: 'failed', ...result };
    });
    return { databases, failed: databases.filter((d) => d.outcome === 'failed').length };
  }

  async #seedDatabase(alias: string, plan: readonly SeedEntry[], always: boolean): Promise<Omit<DatabaseSeedRun, 'alias' | 'outcome'>> {
    const ran: string[] = [];
    const skipped: string[] = [];
    if (plan.length === 0) return { ran, skipped };
    const address = this.project.connections.describe(alias);
    let current: SeedEntry | undefined;
    try {
      await this.#open(alias, async (history, sequelize) => {
        const recorded = always ? new Set<string>() : new Set(((await history.rows()) ?? []).map((r: SeedRow) => r.name));
        for (const entry of plan) {
          current = entry;
          if (recorded.has(entry.name)) {
            skipped.push(entry.name);
            continue;
          }
          const started = performance.now();
          const outcome = await this.project.transaction(alias, async (transaction) => {
            await history.lock(transaction);
            if (!always && (await history.has(entry.name, transaction))) return 'skipped' as const;
            this.emit('seed:start', { alias, name: entry.name });
            const project = this.project;
            const context: SeedContext = {
              alias, appLabel: entry.appLabel, name: entry.name, queryInterface: sequelize.getQueryInterface(), sequelize, transaction, project,
              model: (model) => project.using(alias, model),
            };
            await entry.module.run.call(entry.module, Object.freeze(context));
            await history.record(entry, transaction);
            return 'ran' as const;
          });
          (outcome === 'ran' ? ran : skipped).push(entry.name);
          if (outcome === 'ran') this.emit('seed:done', { alias, name: entry.name, durationMs: performance.now() - started });
        }
        current = undefined;
      });
      return { ran, skipped };
    } catch (error) {
      const pending = plan.filter((e) => !ran.includes(e.name) && !skipped.includes(e.name)).map((e) => e.name);
      if (isConnectionFailure(error)) return { ran, skipped, pending, error: new DatabaseUnavailableError(alias, address, error) };
      return { ran, skipped, pending, error: current ? new SeedFailedError(alias, address, current.name, error) : (error as Error) };
    }
  }

  /** Runs `fn` with the alias's seed history; closes the alias's pool afterwards if this call opened it. */
  async #open<T>(alias: string, fn: (history: SeedHistory, sequelize: ReturnType<Project['connection']>) => Promise<T>): Promise<T> {
    const connections = this.project.connections;
    const opened = !connections.isOpen(alias);
    const sequelize = this.project.connection(alias);
    try {
      return await fn(new SeedHistory(sequelize, dialectFor(connections.config(alias).dialect, `Database '${alias}'`).adapter, this.config.table), sequelize);
    } finally {
      if (opened && connections.isOpen(alias)) await connections.closeOne(alias);
    }
  }

  #planFor(alias: string, entries: readonly SeedEntry[]): SeedEntry[] {
    return entries.filter((e) => this.project.router.allowMigrate(alias, e.appLabel, e.hints));
  }

  #load(): Promise<SeedEntry[]> {
    this.#entries ??= loadSeeds(this.project.apps.apps()).catch((error) => {
      this.#entries = undefined;
      throw error;
    });
    return this.#entries;
  }

  /** The target aliases and seeds, checked before anything runs. */
  async #select(options: SeedTargetOptions): Promise<{ aliases: string[]; entries: SeedEntry[] }> {
    const connections = this.project.connections;
    if (options.databases !== undefined && !Array.isArray(options.databases)) {
      throw new ConfigurationError(`\`databases\` must be a list of aliases, got ${JSON.stringify(options.databases)}.`);
    }
    const aliases = options.databases === undefined ? connections.aliases() : [...new Set(options.databases)];
    for (const alias of aliases) {
      if (!connections.has(alias)) throw new UnknownDatabaseError(alias, connections.aliases(), 'seeder');
      dialectFor(connections.config(alias).dialect, `Database '${alias}'`);
    }
    const entries = await this.#load();
    if (options.apps === undefined) return { aliases, entries };
    for (const label of options.apps) this.#checkApp(label, entries);
    return { aliases, entries: entries.filter((e) => options.apps!.includes(e.appLabel)) };
  }

  #checkApp(label: string, entries: readonly SeedEntry[]): void {
    const labels = this.project.apps.apps().map((a) => a.label);
    if (!labels.includes(label)) {
      const near = closest(String(label), labels);
      throw new SeedPlanError(`No app is labelled ${JSON.stringify(label)}${near ? ` (did you mean '${near}'?)` : ''}. The apps are: ${labels.join(', ')}.`);
    }
    if (!entries.some((e) => e.appLabel === label)) {
      const seeding = [...new Set(entries.map((e) => e.appLabel))];
      throw new SeedPlanError(`App '${label}' has no seeds (give it some with defineApp({ seeds })). ${seeding.length ? `Apps with seeds: ${seeding.join(', ')}.` : 'No app has seeds.'}`);
    }
  }
}

function positive(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new ConfigurationError(`${what} must be a positive integer, got ${JSON.stringify(value)}.`);
}
