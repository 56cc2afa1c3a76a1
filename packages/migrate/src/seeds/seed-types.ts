import type { FbsError } from '@fbs/core';
import type { SeedFailedError } from './seed-errors';

/**
 * What `new Seeder(project, config)` takes. Frozen once taken.
 *
 * @example
 * ```ts
 * const seeder = new Seeder(project, { table: 'fbs_seeds', concurrency: 4 });
 * ```
 */
export interface SeederConfig {
  /** Name of the seed history table each seeded database keeps (an identifier). Default `fbs_seeds`. */
  readonly table?: string;
  /** How many databases are seeded at once. Default 4. */
  readonly concurrency?: number;
}

/** Which databases and apps a call looks at. */
export interface SeedTargetOptions {
  /** Database aliases; default every configured alias. Unknown aliases are an error before anything runs. */
  readonly databases?: readonly string[];
  /** Only these apps' seeds (default: every app's). An unknown label, or an app without seeds, is an error. */
  readonly apps?: readonly string[];
}

/** Options of `run()`. */
export interface SeedOptions extends SeedTargetOptions {
  /** Run every seed again, also those the history records (the record counts one more run). Default false: once per database. */
  readonly always?: boolean;
  /** Databases seeded at once (default: the seeder's `concurrency`). */
  readonly concurrency?: number;
  /** Keep seeding the other databases after one fails. Default false: no new database starts after a failure. */
  readonly continueOnError?: boolean;
}

/** What `plan()` says about one database. */
export interface DatabaseSeedPlan {
  readonly alias: string;
  /** Seeds `run()` would run there (without `always`), in order. */
  readonly pending: string[];
  /** Seeds the history records as run there. */
  readonly done: string[];
  /** Recorded seeds whose file changed since they ran (run them again with `always`). */
  readonly edited: string[];
  /** Seeds whose app the routers do not allow on this database. */
  readonly notRouted: string[];
}

/** Outcome of `run()` on one database. */
export interface DatabaseSeedRun {
  readonly alias: string;
  /** `ok`; `failed` (a seed failed and was rolled back); `not-run` (another database failed first, without `continueOnError`). */
  readonly outcome: 'ok' | 'failed' | 'not-run';
  /** Seeds this run ran and committed, in order. */
  readonly ran: string[];
  /** Seeds not run because the history records them (without `always`). */
  readonly skipped: string[];
  /** When it stopped early: the seeds due there that did not run (the failed one first). */
  readonly pending?: string[];
  /** {@link SeedFailedError}, or a connection error naming the alias. */
  readonly error?: FbsError | Error;
}

/** Outcome of `run()`. */
export interface SeedReport {
  readonly databases: DatabaseSeedRun[];
  /** Number of databases that failed. */
  readonly failed: number;
}

/** Events of `Seeder` (progress; the library never prints). */
export interface SeederEvents {
  'seed:start': [{ alias: string; name: string }];
  'seed:done': [{ alias: string; name: string; durationMs: number }];
  'database:done': [{ alias: string; ran: string[]; skipped: string[] }];
  'database:error': [{ alias: string; error: FbsError | Error; ran: string[] }];
}

