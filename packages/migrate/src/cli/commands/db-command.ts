import type { Command } from 'commander';
import { createMissingDatabases } from '../../databases/create-databases';
import type { CreateDatabasesReport } from '../../databases/create-types';
import type { RunReport } from '../../types';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeError, writeJson } from '../output';
import type { TargetFlags } from '../targets';
import { UsageError } from '../usage-error';

/** Flags of `db create` and `db prepare`. */
export interface DbFlags extends TargetFlags {
  readonly concurrency?: number;
}

/** One solution `db create --solution` created (or found ready). */
interface SolutionCreation {
  readonly solution: string;
  readonly outcome: 'ok' | 'failed';
  /** Its database aliases (when it is ready). */
  readonly databases?: string[];
  readonly error?: Error;
}

const DESCRIPTIONS = {
  create: 'create the configured databases that do not exist yet (default: every configured alias); --solution creates solutions',
  prepare: 'create the missing databases, then migrate them (`db create` then `up`)',
} as const;

/** The `db` command group: `db create`, `db prepare` (Rails `db:create`, `db:prepare`). */
export function addDbCommands(program: Command, action: (verb: 'create' | 'prepare') => (...args: any[]) => Promise<void>, withTargets: (command: Command) => Command, positiveInteger: (value: string) => number): void {
  const db = program.command('db').description('databases: create the missing ones, or create and migrate them');
  withTargets(db.command('create').description(DESCRIPTIONS.create)).action(action('create'));
  withTargets(db.command('prepare').description(DESCRIPTIONS.prepare))
    .option('--concurrency <n>', 'databases migrated at once (default: the migrator config, 4)', positiveInteger)
    .action(action('prepare'));
}

/**
 * `db create` / `db prepare`: creates the selected configured databases that are missing (all of
 * them without a selection), or, for `--solution`/`--all-solutions`, the solutions (their own
 * create); `prepare` then migrates every selected database. Exit 1 if any database failed.
 */
export async function dbCommand(verb: 'create' | 'prepare', context: CommandContext, flags: DbFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const project = config.project;
  const bySolution = Boolean(flags.solution?.length || flags.allSolutions);
  const plain = flags.database?.length || flags.all ? [...new Set([...(flags.database ?? []), ...(flags.all ? project.connections.aliases() : [])])] : bySolution ? [] : project.connections.aliases();
  const created: CreateDatabasesReport = plain.length ? await createMissingDatabases(project, { databases: plain, admin: config.admin }) : { databases: [], failed: 0 };
  const solutions = bySolution ? await createSolutions(context, flags) : [];
  let migrated: RunReport | undefined;
  if (verb === 'prepare') {
    const ready = created.databases.filter((d) => d.outcome !== 'failed').map((d) => d.alias);
    for (const s of solutions) ready.push(...(s.databases ?? []));
    migrated = await context.migrator.up({ databases: ready, concurrency: flags.concurrency });
  }
  if (json) writeJson(io, { databases: created.databases, ...(bySolution ? { solutions } : {}), ...(migrated ? { migrated } : {}) });
  else print(context, created, solutions, migrated);
  for (const d of created.databases) if (d.error) writeError(io, d.error);
  for (const s of solutions) if (s.error) writeError(io, s.error);
  for (const d of migrated?.databases ?? []) if (d.error) writeError(io, d.error);
  const failed = created.failed + solutions.filter((s) => s.outcome === 'failed').length + (migrated?.failed ?? 0);
  return failed ? EXIT.FAILED : EXIT.OK;
}

async function createSolutions({ config }: CommandContext, flags: DbFlags): Promise<SolutionCreation[]> {
  const targets = config.solutions;
  if (!targets || typeof targets.create !== 'function') {
    throw new UsageError('db create --solution/--all-solutions needs `solutions` with create(name) in the config file (the @fbs/solutions manager: export default { project, solutions: manager }).');
  }
  const names = [...new Set([...(flags.solution ?? []), ...(flags.allSolutions ? await targets.list() : [])])];
  const results: SolutionCreation[] = [];
  for (const solution of names) {
    try {
      await targets.create(solution);
      results.push({ solution, outcome: 'ok', databases: [...(await targets.databases(solution))] });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'FBS_INVALID_SOLUTION_NAME') throw new UsageError(`--solution ${JSON.stringify(solution)}: ${(error as Error).message}`, { cause: error });
      results.push({ solution, outcome: 'failed', error: error as Error });
    }
  }
  return results;
}

function print({ io }: CommandContext, created: CreateDatabasesReport, solutions: readonly SolutionCreation[], migrated: RunReport | undefined): void {
  const c = colorsFor(io.stdout, io.env);
  const result = { created: c.green('created'), exists: c.dim('already exists'), failed: c.red('FAILED') };
  const rows = created.databases.map((d) => {
    const applied = migrated?.databases.find((m) => m.alias === d.alias);
    return [d.alias, d.database, result[d.outcome], ...(migrated ? [applied ? migratedCell(applied, c) : c.dim('-')] : [])];
  });
  for (const s of solutions) rows.push([`solution ${s.solution}`, '', s.outcome === 'ok' ? c.green('ready') : c.red('FAILED'), ...(migrated ? [solutionMigrated(s, migrated, c)] : [])]);
  if (rows.length === 0) {
    io.stdout.write('No databases selected.\n');
    return;
  }
  io.stdout.write(`${formatTable(['Database', 'Name', 'Result', ...(migrated ? ['Migrations applied'] : [])], rows, { color: c.isColorSupported })}\n`);
  const count = (o: string) => created.databases.filter((d) => d.outcome === o).length;
  io.stdout.write(`${count('created')} created, ${count('exists')} already existed${created.failed ? `, ${c.red(`${created.failed} failed`)}` : ''}.\n`);
}

function migratedCell(run: RunReport['databases'][number], c: ReturnType<typeof colorsFor>): string {
  if (run.outcome !== 'ok') return c.red(run.outcome === 'failed' ? 'FAILED' : run.outcome);
  return run.applied.length ? run.applied.join('\n') : c.dim('up to date');
}

function solutionMigrated(solution: SolutionCreation, migrated: RunReport, c: ReturnType<typeof colorsFor>): string {
  const runs = migrated.databases.filter((d) => solution.databases?.includes(d.alias));
  if (runs.some((r) => r.outcome !== 'ok')) return c.red('FAILED');
  const applied = runs.reduce((n, r) => n + r.applied.length, 0);
  return applied ? `${applied} migration(s)` : c.dim('up to date');
}
