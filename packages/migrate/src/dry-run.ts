import { randomBytes } from 'node:crypto';
import { captureQueries, type Project } from '@fbs/core';
import { QueryTypes } from 'sequelize';
import { callMigration } from './migration-apply';
import type { MigrationEntry } from './migration-entry';

/** What one migration did in a dry run. */
export interface DryRunStep {
  readonly name: string;
  /** The statements it ran, in order (the failing one last, when it failed). */
  readonly sql: string[];
  /** Tables it created (only with `probeSchema`). */
  readonly createdTables: string[];
  /** Set when the migration threw: the dry run stops there. */
  readonly error?: Error;
}

/** Options of {@link dryRun}. */
export interface DryRunOptions {
  /**
   * Put an empty schema first on the search path, so that the tables the migrations create land
   * there (also when tables of those names exist already) and can be listed before the rollback.
   */
  readonly probeSchema?: boolean;
}

const ROLLBACK = Symbol('dry run');

/**
 * Runs `up` of `entries`, in order, in one transaction on `alias` that is always rolled back,
 * capturing each migration's SQL (PostgreSQL: DDL is transactional, so nothing persists). Stops at
 * the first migration that throws. Callers leave out `transaction: false` migrations (their
 * statements cannot run in a transaction). The history is not touched.
 *
 * @example
 * ```ts
 * const steps = await dryRun(project, 'default', pending);
 * for (const step of steps) console.log(step.name, step.sql.join(';\n'));
 * ```
 */
export async function dryRun(project: Project, alias: string, entries: readonly MigrationEntry[], options: DryRunOptions = {}): Promise<DryRunStep[]> {
  const sequelize = project.connection(alias);
  const steps: DryRunStep[] = [];
  try {
    await project.transaction(alias, async (transaction) => {
      const schema = options.probeSchema ? `fbs_dry_run_${randomBytes(6).toString('hex')}` : undefined;
      if (schema) {
        await sequelize.query(`CREATE SCHEMA "${schema}"`, { transaction });
        const [row] = await sequelize.query<{ search_path: string }>('SHOW search_path', { type: QueryTypes.SELECT, transaction });
        await sequelize.query(`SET LOCAL search_path TO "${schema}", ${row!.search_path}`, { transaction });
      }
      for (const entry of entries) {
        const sql: string[] = [];
        const stop = captureQueries(sequelize, transaction, (statement) => sql.push(statement));
        let error: Error | undefined;
        try {
          await callMigration(entry, 'up', alias, sequelize, transaction);
        } catch (failure) {
          error = failure instanceof Error ? failure : new Error(String(failure));
        } finally {
          stop();
        }
        const createdTables = schema && !error ? await tablesIn(project, alias, schema, transaction, steps) : [];
        steps.push({ name: entry.name, sql, createdTables, ...(error ? { error } : {}) });
        if (error) break;
      }
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return steps;
}

/** Tables in the probe schema not yet attributed to an earlier step. */
async function tablesIn(project: Project, alias: string, schema: string, transaction: unknown, earlier: readonly DryRunStep[]): Promise<string[]> {
  const rows = await project.connection(alias).query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname",
    { replacements: [schema], type: QueryTypes.SELECT, transaction: transaction as never },
  );
  const seen = new Set(earlier.flatMap((s) => s.createdTables));
  return rows.map((r) => r.name).filter((t) => !seen.has(t));
}
