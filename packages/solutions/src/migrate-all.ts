import type { SolutionMigrator } from './migrator-contract';
import type { SolutionPlugin } from './events';
import { checkMigrationConcurrency, type PoolCapConfig } from './pool-cap-config';
import type { SolutionNaming } from './naming';
import type { SolutionInfo } from './solution-info';

/** One solution's outcome in `migrateAll()`. */
export interface SolutionRun {
  readonly name: string;
  /** Alias → migrations applied (and committed) there, also when it then failed or was stopped. */
  readonly applied: Readonly<Record<string, readonly string[]>>;
  /** Set when one of its databases failed (that database's migration was rolled back). */
  readonly error?: Error;
  /** Set (true) when the run's signal stopped it before all its databases were migrated. */
  readonly aborted?: true;
  /**
   * When it stopped early: alias → migrations it was to apply there and did not, in order (an
   * empty list for a database whose run never started, so what it lacks was not read).
   */
  readonly pending?: Readonly<Record<string, readonly string[]>>;
}

/** What `migrateAll()` reports. */
export interface MigrateAllReport {
  readonly solutions: readonly SolutionRun[];
  /** Solutions with at least one failed database. */
  readonly failed: number;
  /** Set (true) when the signal stopped the run; `applied` still lists everything that committed. */
  readonly aborted?: true;
}

/** Options of {@link migrateSolutions}. */
export interface MigrateSolutionsOptions {
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

interface Host {
  readonly naming: SolutionNaming;
  emit(event: 'migrated', payload: { solution: string; applied: Record<string, string[]> }): boolean;
  info(name: string): Promise<SolutionInfo | undefined>;
}

interface Run {
  name: string;
  applied: Record<string, string[]>;
  error?: Error;
  failed?: boolean;
  aborted?: true;
  pending?: Record<string, string[]>;
}

/**
 * Migrates the databases of `names` in one migrator run (bounded concurrency, progress through the
 * migrator's events), continuing past failures; groups the outcome per solution. A `concurrency`
 * whose connections (`concurrency × pool.perSolution`) exceed `pool.maxConnections` is refused
 * with a `ConfigurationError` before anything runs. `signal` stops the run after the current
 * migration of each database.
 */
export async function migrateSolutions(
  host: Host,
  migrator: SolutionMigrator,
  names: readonly string[],
  options: MigrateSolutionsOptions,
  plugins: readonly SolutionPlugin[],
  pool: Readonly<Required<PoolCapConfig>>,
): Promise<MigrateAllReport> {
  const { concurrency, signal } = options;
  // Each database migrated at once holds `perSolution` connections: an explicit concurrency the
  // cap cannot hold is refused; the migrator's own default is lowered to what the cap holds.
  if (concurrency !== undefined) checkMigrationConcurrency(concurrency, pool, 'migrateAll({ concurrency })');
  const fits = Math.floor(pool.maxConnections / pool.perSolution);
  const own = (migrator as { config?: { concurrency?: unknown } }).config?.concurrency;
  const effective = concurrency ?? (typeof own === 'number' && own > fits ? fits : undefined);
  const owner = new Map<string, string>();
  for (const name of names) for (const kind of host.naming.kinds) owner.set(host.naming.database(kind, name), name);
  const report = owner.size ? await migrator.up({ databases: [...owner.keys()], concurrency: effective, continueOnError: true, signal }) : { databases: [], failed: 0 };
  const aborted = Boolean(signal?.aborted);
  const runs = new Map<string, Run>(names.map((name) => [name, { name, applied: {} }]));
  for (const database of report.databases) {
    const run = runs.get(owner.get(database.alias)!)!;
    run.applied[database.alias] = [...database.applied];
    const stopped = aborted && (database.outcome === 'aborted' || database.outcome === 'not-run');
    if (stopped) {
      run.aborted = true;
      (run.pending ??= {})[database.alias] = [...(database.pending ?? [])];
    } else if (database.error) {
      run.failed = true;
      if (database.pending) (run.pending ??= {})[database.alias] = [...database.pending];
    }
    if (database.error && !run.error) run.error = database.error;
  }
  for (const run of runs.values()) {
    if (run.error || run.aborted || !Object.values(run.applied).some((a) => a.length)) continue;
    host.emit('migrated', { solution: run.name, applied: run.applied });
    const info = plugins.some((p) => p.migrated) ? await host.info(run.name) : undefined;
    for (const plugin of plugins) if (info) await plugin.migrated?.(info, run.applied);
  }
  const solutions: SolutionRun[] = [...runs.values()].map(({ name, applied, error, aborted: stopped, pending }) => ({
    name, applied, ...(error ? { error } : {}), ...(stopped ? { aborted: stopped } : {}), ...(pending ? { pending } : {}),
  }));
  const failed = [...runs.values()].filter((r) => r.failed).length;
  return aborted ? { solutions, failed, aborted: true } : { solutions, failed };
}
