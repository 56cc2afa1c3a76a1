import { FbsError, type CheckProblem } from '@fbs/core';
import { schemaDrift } from '../../autodetect/schema-drift';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';
import { UsageError } from '../usage-error';

/**
 * `check`: Django's system checks over the project (`project.check()`) plus the migrations (they
 * load, their dependencies name registered apps and form no cycle). Solution databases of the
 * config's `solutions` count as databases migrations may target. Exit 1 when any problem is an
 * error (for CI), 0 otherwise (warnings are printed).
 */
export async function checkCommand(context: CommandContext): Promise<ExitCode> {
  const { io, config, migrator, json } = context;
  const databases: string[] = [];
  if (config.solutions !== undefined) {
    databases.push(...(config.solutions.exampleDatabases?.() ?? []));
    for (const name of await config.solutions.list()) databases.push(...(await config.solutions.databases(name)));
  }
  const problems: CheckProblem[] = [...config.project.check(databases.length > 0 ? { databases } : {})];
  try {
    await migrator.load();
  } catch (error) {
    if (!(error instanceof FbsError)) throw error;
    problems.push({ code: 'fbs.E006', level: 'error', message: error.message, objects: [error.code], hint: 'Fix the migration files or their `dependencies`.' });
  }
  const errors = problems.filter((p) => p.level === 'error').length;
  if (json) {
    writeJson(io, { ok: errors === 0, problems });
  } else if (problems.length === 0) {
    io.stdout.write('System check identified no issues.\n');
  } else {
    const c = colorsFor(io.stdout, io.env);
    const rows = problems.map((p) => [p.level === 'error' ? c.red(p.code) : c.yellow(p.code), p.message, p.hint]);
    io.stdout.write(formatTable(['Code', 'Problem', 'Fix'], rows, { color: Boolean(io.stdout.isTTY) }) + '\n');
    io.stdout.write(`System check identified ${problems.length} issue(s): ${errors} error(s), ${problems.length - errors} warning(s).\n`);
  }
  return errors > 0 ? EXIT.FAILED : EXIT.OK;
}

/**
 * `check --schema`: the drift between the models and the live schema of each selected database
 * (default: every configured one), as a table or `--json`. Exit 1 when anything differs. Without
 * `--schema`, the system checks ({@link checkCommand}); target flags then are a usage error.
 */
export async function checkSchemaCommand(context: CommandContext, flags: TargetFlags & { schema?: boolean }): Promise<ExitCode> {
  const { io, config, json } = context;
  if (!flags.schema) {
    if (flags.database?.length || flags.all || flags.solution?.length || flags.allSolutions) {
      throw new UsageError('--database, --all, --solution and --all-solutions select the databases of `check --schema`; add --schema (the system checks read no database).');
    }
    return checkCommand(context);
  }
  const databases = await resolveTargets(flags, config.project, config.solutions);
  const drift = await schemaDrift(config.project, { databases });
  if (json) {
    writeJson(io, { ok: drift.length === 0, drift });
  } else if (drift.length === 0) {
    io.stdout.write('The live schema matches the models on every database checked.\n');
  } else {
    const c = colorsFor(io.stdout, io.env);
    const rows = drift.map((d) => [d.alias, `${d.table}${d.object ? `.${d.object}` : ''}`, c.yellow(d.kind), d.expected ?? '', d.actual ?? '']);
    io.stdout.write(formatTable(['Database', 'Object', 'Drift', 'Models', 'Database has'], rows, { color: Boolean(io.stdout.isTTY) }) + '\n');
    io.stdout.write(`${drift.length} difference(s) between the models and the databases. Generate a migration (fbs-migrate make) or fix the database.\n`);
  }
  return drift.length > 0 ? EXIT.FAILED : EXIT.OK;
}
