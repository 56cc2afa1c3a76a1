/**
 * The part of `@fbs/migrate`'s `Migrator` the solutions manager uses. A `Migrator` built on the
 * same project satisfies it.
 */
export interface SolutionMigrator {
  /** Loads folder migrations (so `fingerprint` works). */
  load?(): Promise<void>;
  /** Hash of the migrations planned for `alias`; changes when they change. */
  fingerprint(alias: string): string;
  up(options: { databases?: readonly string[]; concurrency?: number; continueOnError?: boolean }): Promise<SolutionRunReport>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** What `up()` reports (the shape of `@fbs/migrate`'s `RunReport`). */
export interface SolutionRunReport {
  readonly databases: readonly { readonly alias: string; readonly applied: readonly string[]; readonly outcome?: string; readonly error?: Error }[];
  readonly failed: number;
}
