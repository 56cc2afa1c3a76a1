import type { Project } from '@fbs/core';
import { dryRun } from './dry-run';
import { readHistory } from './history-reader';
import type { MigrationEntry } from './migration-entry';

/** Options of `Migrator.sql()`. */
export interface SqlOptions {
  /** Database aliases; default every configured alias. */
  readonly databases?: readonly string[];
  /** One migration (`sqlmigrate NAME`): its SQL only, after a dry run of the pending migrations before it. Default: every pending migration (`plan --sql`). */
  readonly name?: string;
}

/** The SQL of one migration on one database, or why there is none. */
export interface MigrationSql {
  readonly name: string;
  /** False for `transaction: false` migrations (never run for a preview) and those after a failed one. */
  readonly previewable: boolean;
  /** The statements, in order (empty when not previewable). */
  readonly sql: string[];
  /** Why it was not previewed, or how its dry run failed. */
  readonly reason?: string;
  /** True when its dry run threw (`sql` holds the statements up to the failing one). */
  readonly failed?: boolean;
}

/** What `Migrator.sql()` says about one database. */
export interface DatabaseSql {
  readonly alias: string;
  readonly migrations: MigrationSql[];
}

/**
 * The SQL the pending migrations routed to `alias` would run there (or, with `name`, that one
 * migration's), captured by running them in one transaction that is rolled back (PostgreSQL's DDL
 * is transactional: nothing persists, the history is untouched). `transaction: false` migrations
 * are listed as not previewable instead of being run.
 */
export async function previewSql(project: Project, historyTable: string, alias: string, plan: readonly MigrationEntry[], name?: string): Promise<DatabaseSql> {
  const applied = new Set(((await readHistory(project, alias, historyTable)) ?? []).map((r) => r.name));
  let due = plan.filter((e) => !applied.has(e.name));
  if (name !== undefined) {
    const at = due.findIndex((e) => e.name === name);
    // Applied already (or not routed here): preview it alone, as it would run now.
    due = at >= 0 ? due.slice(0, at + 1) : plan.filter((e) => e.name === name);
  }
  const runnable = due.filter((e) => e.transactional);
  const steps = runnable.length === 0 ? [] : await dryRun(project, alias, runnable);
  const byName = new Map(steps.map((s) => [s.name, s]));
  const failed = steps.find((s) => s.error);
  const migrations = due.map((entry): MigrationSql => {
    if (!entry.transactional) return { name: entry.name, previewable: false, sql: [], reason: '`transaction: false`: it cannot run in a transaction, so it is not run for a preview' };
    const step = byName.get(entry.name);
    if (!step) return { name: entry.name, previewable: false, sql: [], reason: `not previewed: the dry run stopped at '${failed?.name}'` };
    return { name: entry.name, previewable: !step.error, sql: step.sql, ...(step.error ? { reason: `its dry run failed: ${step.error.message}`, failed: true } : {}) };
  });
  return { alias, migrations: name === undefined ? migrations : migrations.filter((m) => m.name === name) };
}
