import type { Project } from '@fbs/core';
import { QueryTypes } from 'sequelize';
import { dryRun } from './dry-run';
import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';

/**
 * `fakeInitial` (Django's `--fake-initial`): whether an app's initial migration should be recorded
 * without running, because the tables it creates exist already (a database that predates the
 * migrations). "Its tables" are what it creates when run: it is run in a transaction that is
 * rolled back, with an empty schema first on the search path (so it succeeds even though tables of
 * those names exist), and the tables that appear there are listed. It is faked only when it
 * creates at least one table and every one of them exists; otherwise it runs as usual.
 *
 * @example
 * ```ts
 * const { fake, tables } = await shouldFakeInitial(project, 'default', entry); // { fake: true, tables: ['notes'] }
 * ```
 */
export async function shouldFakeInitial(project: Project, alias: string, entry: MigrationEntry): Promise<{ fake: boolean; tables: string[] }> {
  if (!entry.transactional) {
    throw new MigrationPlanError(
      `--fake-initial cannot tell which tables '${entry.name}' creates: it is a \`transaction: false\` migration, which cannot be tried in a rolled-back transaction. ` +
        `Record it with --fake (after checking its tables exist), or run it.`,
    );
  }
  const [step] = await dryRun(project, alias, [entry], { probeSchema: true });
  if (step?.error) {
    throw new MigrationPlanError(
      `--fake-initial cannot tell which tables '${entry.name}' creates on '${alias}': trying it in a rolled-back transaction failed (${step.error.message}). ` +
        `Record it with --fake, or run it without --fake-initial.`,
      { cause: step.error },
    );
  }
  const tables = step?.createdTables ?? [];
  if (tables.length === 0) return { fake: false, tables };
  const rows = await project.connection(alias).query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM unnest(ARRAY[${tables.map(() => '?').join(', ')}]::text[]) AS t(name) WHERE to_regclass(quote_ident(t.name)) IS NULL`,
    { replacements: tables, type: QueryTypes.SELECT },
  );
  return { fake: rows[0]!.missing === 0, tables };
}
