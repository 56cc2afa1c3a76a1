import type { Project } from '@fbs/core';
import { Migrator } from '@fbs/migrate';

/**
 * The part of `@fbs/migrate`'s `Migrator` the solutions manager uses. A `Migrator` built on the
 * same project satisfies it.
 */
export interface SolutionMigrator {
  /** Loads folder migrations (so `fingerprint` works). */
  load?(): Promise<void>;
  /** Hash of the migrations planned for `alias`; changes when they change. */
  fingerprint(alias: string): string;
  /**
   * Applies pending migrations. `signal` stops the run after the current migration (one in flight
   * is rolled back) and sets `aborted` on the report.
   */
  up(options: { databases?: readonly string[]; concurrency?: number; continueOnError?: boolean; signal?: AbortSignal }): Promise<SolutionRunReport>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** What `up()` reports (the shape of `@fbs/migrate`'s `RunReport`). */
export interface SolutionRunReport {
  readonly databases: readonly SolutionDatabaseRun[];
  readonly failed: number;
  /** Whether the run's signal aborted it. */
  readonly aborted?: boolean;
}

/** One database of {@link SolutionRunReport} (the shape of `@fbs/migrate`'s `DatabaseRun`). */
export interface SolutionDatabaseRun {
  readonly alias: string;
  /** Migrations applied and committed, also when it then failed or was aborted. */
  readonly applied: readonly string[];
  /** `ok`, `failed`, `aborted` or `not-run`. */
  readonly outcome?: string;
  /** When it stopped early: what it was to apply and did not. */
  readonly pending?: readonly string[];
  readonly error?: Error;
}

/** Whether `error` is the migrator (or a step) giving up because `signal` was aborted. */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return false;
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return error === signal.reason || code === 'FBS_MIGRATION_ABORTED' || code === 'FBS_SOLUTION_ABORTED' || name === 'AbortError';
}

/**
 * The migrator solutions are migrated with: `given` itself when it is one (has `up`), else a
 * `Migrator` of `@fbs/migrate` on the project with `given` as its config; loaded once.
 */
export async function loadSolutionMigrator(project: Project, given: SolutionMigrator | object | undefined): Promise<SolutionMigrator> {
  const migrator = given && typeof (given as SolutionMigrator).up === 'function' ? (given as SolutionMigrator) : new Migrator(project, given as object);
  await migrator.load?.();
  return migrator;
}
