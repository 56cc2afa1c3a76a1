import type { SolutionMigrator } from './migrator-contract';
import type { SolutionPlugin } from './events';
import { checkMigrationConcurrency, type PoolCapConfig } from './pool-cap-config';
import type { SolutionNaming } from './naming';
import type { SolutionInfo } from './solution-info';
import type { ServerAdmin } from '@fbs/core/dialect';
import { ServerUnavailableError } from './errors';

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
  /** Servers that could not be reached: their solutions failed (with a `ServerUnavailableError`), the others ran. */
  readonly unavailableServers?: readonly string[];
  /** Per server (with several servers): databases migrated there and the concurrency they ran with. */
  readonly servers?: Readonly<Record<string, { readonly databases: number; readonly concurrency: number | undefined }>>;
  /** Set (true) when the signal stopped the run; `applied` still lists everything that committed. */
  readonly aborted?: true;
}

/** Options of {@link migrateSolutions}. */
export interface MigrateSolutionsOptions {
  /** Databases migrated at once per server. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Solution → kind → server. */
  readonly placement: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly servers: readonly MigrateServer[];
}

/** A server as `migrateSolutions` needs it. */
export interface MigrateServer {
  readonly name: string;
  readonly admin: ServerAdmin;
  /** Its pool cap. */
  readonly cap: Readonly<Required<PoolCapConfig>>;
  /** Its own concurrency (`servers.NAME.migrateConcurrency`). */
  readonly concurrency: number | undefined;
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
 * Migrates the databases of `names`, one migrator run per server at once (bounded concurrency per
 * server, progress through the migrator's events), continuing past failures; groups the outcome
 * per solution. A server that cannot be reached fails only its solutions. A `concurrency` whose
 * connections (`concurrency × pool.perSolution`) exceed a server's `pool.maxConnections` is refused
 * with a `ConfigurationError` before anything runs. `signal` stops the run after the current
 * migration of each database.
 */
export async function migrateSolutions(
  host: Host,
  migrator: SolutionMigrator,
  names: readonly string[],
  options: MigrateSolutionsOptions,
  plugins: readonly SolutionPlugin[],
): Promise<MigrateAllReport> {
  const { concurrency, signal } = options;
  // Each database migrated at once holds `perSolution` connections: an explicit concurrency a
  // server's cap cannot hold is refused; the migrator's own default is lowered to what the cap holds.
  const own = (migrator as { config?: { concurrency?: unknown } }).config?.concurrency;
  const limits = new Map<string, number | undefined>();
  for (const server of options.servers) {
    const wanted = server.concurrency ?? concurrency;
    if (wanted !== undefined) checkMigrationConcurrency(wanted, server.cap, server.concurrency ? `servers.${server.name}.migrateConcurrency` : 'migrateAll({ concurrency })');
    const fits = Math.floor(server.cap.maxConnections / server.cap.perSolution);
    limits.set(server.name, wanted ?? (typeof own === 'number' && own > fits ? fits : undefined));
  }
  const owner = new Map<string, string>();
  const byServer = new Map<string, string[]>();
  for (const name of names) {
    for (const kind of host.naming.kinds) {
      const database = host.naming.database(kind, name);
      const server = options.placement.get(name)?.[kind] ?? options.servers[0]!.name;
      owner.set(database, name);
      byServer.set(server, [...(byServer.get(server) ?? []), database]);
    }
  }
  const unavailable: string[] = [];
  const results = await Promise.all(
    [...byServer].map(async ([server, databases]) => {
      const handle = options.servers.find((s) => s.name === server);
      const down = handle ? await probe(handle) : new Error(`server '${server}' is not configured in this process`);
      if (down) {
        unavailable.push(server);
        const error = new ServerUnavailableError(server, down);
        return databases.map((alias) => ({ alias, applied: [] as string[], error, outcome: 'failed' as const, pending: [] as string[] }));
      }
      const report = await migrator.up({ databases, concurrency: limits.get(server), continueOnError: true, signal });
      return report.databases;
    }),
  );
  const aborted = Boolean(signal?.aborted);
  const runs = new Map<string, Run>(names.map((name) => [name, { name, applied: {} }]));
  for (const database of results.flat()) {
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
  const servers = Object.fromEntries([...byServer].map(([server, databases]) => [server, { databases: databases.length, concurrency: limits.get(server) }]));
  // Per-server figures only with several servers (the single-server report keeps its shape).
  const extra = { ...(options.servers.length > 1 ? { servers } : {}), ...(unavailable.length ? { unavailableServers: unavailable.sort() } : {}) };
  return aborted ? { solutions, failed, aborted: true, ...extra } : { solutions, failed, ...extra };
}

/** Undefined when the server answers; else why not. */
async function probe(server: MigrateServer): Promise<Error | undefined> {
  try {
    await server.admin.session((session) => session.query('SELECT 1'));
    return undefined;
  } catch (error) {
    return error as Error;
  }
}
