import type { FbsError } from '@fbs/core';

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
}

/** Options of `up()`: `to` (a namespaced name, applied inclusive) or `step` (a count per database), not both. */
export type UpOptions = RunOptions & ({ readonly to?: string; readonly step?: undefined } | { readonly step?: number; readonly to?: undefined });

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
  /** Set when the database could not be read (status never throws for one database). */
  readonly error?: FbsError | Error;
}

/** Outcome of `up()`/`down()` on one database. */
export interface DatabaseRun {
  readonly alias: string;
  /** `ok`, `failed`, or `not-run` (another database failed first and `continueOnError` was off). */
  readonly outcome: 'ok' | 'failed' | 'not-run';
  /** Migrations applied (up). */
  readonly applied: string[];
  /** Migrations reverted (down). */
  readonly reverted: string[];
  /** Why it failed: {@link MigrationFailedError}, {@link MigrationLockedError}, or a connection error naming the alias. */
  readonly error?: FbsError | Error;
}

/** Outcome of `up()`/`down()`. */
export interface RunReport {
  readonly direction: 'up' | 'down';
  readonly databases: DatabaseRun[];
  /** Number of databases that failed. */
  readonly failed: number;
}

/** Events of {@link Migrator} (progress; the library never prints). */
export interface MigratorEvents {
  'database:start': [{ alias: string; pending: string[]; direction: 'up' | 'down' }];
  /** The lock is held by another process and this run waits for it. */
  'database:waiting': [{ alias: string; holder: string | undefined }];
  'migration:start': [{ alias: string; name: string; direction: 'up' | 'down' }];
  'migration:done': [{ alias: string; name: string; direction: 'up' | 'down'; durationMs: number }];
  'database:done': [{ alias: string; applied: string[]; reverted: string[] }];
  'database:error': [{ alias: string; error: FbsError | Error }];
}
