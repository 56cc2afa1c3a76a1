import type { FbsError } from '@fbs/core';
import type { MigrationConflict } from './migration-conflicts';
import type { MigrationAbortedError, MigrationFailedError, MigrationLockedError, MigrationLockLostError, MigrationLockTimeoutError } from './errors';

/**
 * What `new Migrator(project, config)` takes. Frozen once taken.
 *
 * @example
 * ```ts
 * const migrator = new Migrator(project, { historyTable: 'fbs_migrations', concurrency: 4 });
 * ```
 */
export interface MigratorConfig {
  /** Name of the history table each database keeps (an identifier). Default `fbs_migrations`. */
  readonly historyTable?: string;
  /** How many databases migrate at once. Default 4 (suits a 2-core server: migrations wait on I/O and locks). */
  readonly concurrency?: number;
}

/** Which databases a call looks at. */
export interface TargetOptions {
  /** Database aliases; default every configured alias. Unknown aliases are an error before anything runs. */
  readonly databases?: readonly string[];
}

/** Options of `plan()`. */
export type PlanOptions = TargetOptions;

/** Options of `status()`. */
export interface StatusOptions extends TargetOptions {
  /** Databases read at once. Default: the migrator's `concurrency` × 2 (status only reads). */
  readonly concurrency?: number;
}

/** Options shared by `up()` and `down()`. */
export interface RunOptions extends TargetOptions {
  /** Databases migrated at once (default: the migrator's `concurrency`). */
  readonly concurrency?: number;
  /** Keep migrating the other databases after one fails, and report every failure. Default false: no new database starts after a failure. */
  readonly continueOnError?: boolean;
  /** Wait for another migrator's lock (default true). `false` fails fast with {@link MigrationLockedError}. */
  readonly wait?: boolean;
  /**
   * How long to wait for another migrator's lock, in milliseconds (default: as long as it takes).
   * Past it the database fails with {@link MigrationLockTimeoutError}, naming the holder. Waiting
   * polls, holding nothing on the server, so it never deadlocks with a `CREATE INDEX CONCURRENTLY`.
   */
  readonly lockTimeoutMs?: number;
  /**
   * Stops the run: no migration starts after it is aborted, a transactional migration in flight is
   * cancelled and rolled back, a `transaction: false` one runs to its end (and is recorded), locks
   * are released, and the report (`aborted: true`) lists what committed and what did not.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * process.once('SIGINT', () => controller.abort());
   * const report = await migrator.up({ signal: controller.signal });
   * ```
   */
  readonly signal?: AbortSignal;
  /**
   * Record the migrations in the history (down: erase them) without running them, under the same
   * lock and fence (Django `--fake`): for a database whose schema is already there. Listed in the
   * report's `faked`.
   */
  readonly fake?: boolean;
}

/** Options of `up()`: `to` (a namespaced name, applied inclusive) or `step` (a count per database), not both. */
export type UpOptions = RunOptions & {
  /**
   * Django `--fake-initial`: an app's first migration is recorded without running when every table
   * it creates exists already (found by trying it in a rolled-back transaction); otherwise, and for
   * every later migration, it runs. Not with `fake`.
   */
  readonly fakeInitial?: boolean;
  /**
   * Only these apps' migrations, with the migrations they depend on (transitively, in any app),
   * like Django's `migrate app_label`. Unknown labels are an error (with the closest label).
   */
  readonly apps?: readonly string[];
} & ({ readonly to?: string; readonly step?: undefined } | { readonly step?: number; readonly to?: undefined });

/** Options of `down()`: `to` (reverted inclusive; `0` reverts everything) or `step` (default 1), not both. */
export type DownOptions = RunOptions & ({ readonly to?: string | 0; readonly step?: undefined } | { readonly step?: number; readonly to?: undefined });

/** What `plan()` says about one database. */
export interface DatabasePlan {
  readonly alias: string;
  /** Migrations `up` would apply, in order. */
  readonly pending: string[];
  /** Migrations the history records as applied. */
  readonly applied: string[];
  /** Project migrations the routers do not allow on this database (never applied or recorded here). */
  readonly notRouted: string[];
}

/** State of one migration on one database. `unknown`: recorded in the history, but no app ships it any more. */
export type MigrationState = 'applied' | 'pending' | 'not-routed' | 'unknown';

/** One row of `status()`. */
export interface MigrationStatus {
  readonly name: string;
  readonly state: MigrationState;
  /** True when the migration was edited after it was applied (its checksum differs from the history's). */
  readonly checksumMismatch?: boolean;
  /** When it was applied (applied and unknown rows). */
  readonly appliedAt?: Date;
}

/** What `status()` says about one database. */
export interface DatabaseStatus {
  readonly alias: string;
  /** Whether the history table exists there. */
  readonly hasHistory: boolean;
  readonly migrations: MigrationStatus[];
  /** Conflicting migrations routed to this database (see `Migrator.conflicts()`); absent when none. */
  readonly conflicts?: MigrationConflict[];
  /** Set when the database could not be read (status never throws for one database). */
  readonly error?: FbsError | Error;
}

/** Outcome of `up()`/`down()` on one database. */
export interface DatabaseRun {
  readonly alias: string;
  /**
   * `ok`; `failed`; `aborted` (the run's signal stopped it); or `not-run` (another database failed
   * first and `continueOnError` was off, or the run was aborted before it started).
   */
  readonly outcome: 'ok' | 'failed' | 'aborted' | 'not-run';
  /** Migrations this run applied and committed (up), in order, also when it then failed or was aborted. */
  readonly applied: string[];
  /** Migrations this run reverted and committed (down), in order, also when it then failed or was aborted. */
  readonly reverted: string[];
  /** Of `applied`/`reverted`, those recorded (or erased) without running (`fake`, `fakeInitial`); absent when none. */
  readonly faked?: string[];
  /** When it stopped early: the migrations it was to apply (or revert) and did not, in order. */
  readonly pending?: string[];
  /**
   * Why it failed or stopped: {@link MigrationFailedError}, {@link MigrationLockedError},
   * {@link MigrationLockTimeoutError}, {@link MigrationLockLostError}, {@link MigrationAbortedError},
   * or a connection error naming the alias.
   */
  readonly error?: FbsError | Error;
}

/** Outcome of `up()`/`down()`. */
export interface RunReport {
  readonly direction: 'up' | 'down';
  readonly databases: DatabaseRun[];
  /** Number of databases that failed. */
  readonly failed: number;
  /** Whether the run's signal aborted it. */
  readonly aborted: boolean;
}

/** Events of {@link Migrator} (progress; the library never prints). */
export interface MigratorEvents {
  /** The lock is taken: `pending` lists every migration pending there (or applied, for down), `due` the ones this run will do. */
  'database:start': [{ alias: string; pending: string[]; due: string[]; direction: 'up' | 'down' }];
  /** The lock is held by another process and this run waits for it. */
  'database:waiting': [{ alias: string; holder: string | undefined }];
  'migration:start': [{ alias: string; name: string; direction: 'up' | 'down' }];
  /** Applied (or reverted) and committed; `faked`: recorded in the history without running (`fake`). */
  'migration:done': [{ alias: string; name: string; direction: 'up' | 'down'; durationMs: number; faked?: boolean }];
  /** Under its fence, the history showed that another run had applied (or reverted) this migration meanwhile: it was not run again. */
  'migration:skipped': [{ alias: string; name: string; direction: 'up' | 'down' }];
  'database:done': [{ alias: string; applied: string[]; reverted: string[] }];
  /** The database failed or was aborted; `applied`/`reverted` list what committed before that. */
  'database:error': [{ alias: string; error: FbsError | Error; applied: string[]; reverted: string[] }];
}
