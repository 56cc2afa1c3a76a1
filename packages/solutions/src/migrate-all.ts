import type { SolutionMigrator } from './migrator-contract';
import type { SolutionPlugin } from './events';
import { checkMigrationConcurrency, type PoolCapConfig } from './pool-cap-config';
import type { SolutionNaming } from './naming';
import type { SolutionInfo } from './solution-info';

/** One solution's outcome in `migrateAll()`. */
export interface SolutionRun {
  readonly name: string;
  /** Alias → migrations applied there. */
  readonly applied: Readonly<Record<string, readonly string[]>>;
  /** Set when one of its databases failed (that database's migration was rolled back). */
  readonly error?: Error;
}

/** What `migrateAll()` reports. */
export interface MigrateAllReport {
  readonly solutions: readonly SolutionRun[];
  /** Solutions with at least one failed database. */
  readonly failed: number;
}

interface Host {
  readonly naming: SolutionNaming;
  emit(event: 'migrated', payload: { solution: string; applied: Record<string, string[]> }): boolean;
  info(name: string): Promise<SolutionInfo | undefined>;
}

/**
 * Migrates the databases of `names` in one migrator run (bounded concurrency, progress through the
 * migrator's events), continuing past failures; groups the outcome per solution. A `concurrency`
 * whose connections (`concurrency × pool.perSolution`) exceed `pool.maxConnections` is refused
 * with a `ConfigurationError` before anything runs.
 */
export async function migrateSolutions(
  host: Host,
  migrator: SolutionMigrator,
  names: readonly string[],
  concurrency: number | undefined,
  plugins: readonly SolutionPlugin[],
  pool: Readonly<Required<PoolCapConfig>>,
): Promise<MigrateAllReport> {
  // Each database migrated at once holds `perSolution` connections: an explicit concurrency the
  // cap cannot hold is refused; the migrator's own default is lowered to what the cap holds.
  if (concurrency !== undefined) checkMigrationConcurrency(concurrency, pool, 'migrateAll({ concurrency })');
  const fits = Math.floor(pool.maxConnections / pool.perSolution);
  const own = (migrator as { config?: { concurrency?: unknown } }).config?.concurrency;
  const effective = concurrency ?? (typeof own === 'number' && own > fits ? fits : undefined);
  const owner = new Map<string, string>();
  for (const name of names) for (const kind of host.naming.kinds) owner.set(host.naming.database(kind, name), name);
  const report = owner.size ? await migrator.up({ databases: [...owner.keys()], concurrency: effective, continueOnError: true }) : { databases: [], failed: 0 };
  const runs = new Map(names.map((name) => [name, { name, applied: {} as Record<string, string[]>, error: undefined as Error | undefined }]));
  for (const database of report.databases) {
    const run = runs.get(owner.get(database.alias)!)!;
    run.applied[database.alias] = [...database.applied];
    if (database.error && !run.error) run.error = database.error;
  }
  for (const run of runs.values()) {
    if (run.error || !Object.values(run.applied).some((a) => a.length)) continue;
    host.emit('migrated', { solution: run.name, applied: run.applied });
    const info = plugins.some((p) => p.migrated) ? await host.info(run.name) : undefined;
    for (const plugin of plugins) if (info) await plugin.migrated?.(info, run.applied);
  }
  const solutions = [...runs.values()].map(({ name, applied, error }) => (error ? { name, applied, error } : { name, applied }));
  return { solutions, failed: solutions.filter((s) => s.error).length };
}
