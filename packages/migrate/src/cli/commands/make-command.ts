import { makeMigrations, type AppMigrationResult } from '../../autodetect/make-migrations';
import { snapshotFromDatabase } from '../../autodetect/from-database';
import { parseRename, type RenameQuestion } from '../../autodetect/rename-questions';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { Option, type Command } from 'commander';
import { TEMPLATE_EXTENSIONS, type TemplateExtension } from '../migration-template';
import { colorsFor, writeJson } from '../output';
import { collect } from '../option-parsers';
import { UsageError } from '../usage-error';

/** Flags of `make`. */
export interface MakeFlags {
  readonly name?: string;
  readonly rename?: string[];
  readonly renameDetection?: boolean;
  readonly check?: boolean;
  readonly fromDatabase?: string;
  readonly ext?: TemplateExtension;
}

/**
 * `make [app…]`: writes a migration per app whose models differ from what its migrations produce
 * (and the app's `_schema.json`). `--check` writes nothing and exits 1 when a migration is missing.
 * `--from-database ALIAS` first takes each app's snapshot from that database. Renames are asked on
 * a terminal, given with `--rename`, or refused.
 */
export async function makeCommand(context: CommandContext, apps: string[], flags: MakeFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const project = config.project;
  const c = colorsFor(io.stdout, io.env);
  if (flags.fromDatabase !== undefined && flags.check) {
    throw new UsageError('--from-database writes the snapshot and --check writes nothing: run them separately (check --schema compares a database with the models without writing).');
  }
  if (flags.fromDatabase !== undefined) {
    for (const s of await snapshotFromDatabase(project, flags.fromDatabase, apps)) {
      if (!json) io.stdout.write(`Snapshot of '${s.app}' taken from '${flags.fromDatabase}' (${s.tables.length} table(s), through ${s.through ?? 'no migration'}): ${s.file}\n`);
    }
  }
  const ask = io.ask && !json
    ? async (q: RenameQuestion) => /^y(es)?$/i.test((await io.ask!(`Was ${q.table ? `column ${q.table}.${q.from}` : `table ${q.from}`} renamed to ${q.to}? [y/N] `)).trim())
    : undefined;
  const results = await makeMigrations(project, {
    apps,
    name: flags.name,
    renames: (flags.rename ?? []).map(parseRename),
    noRenames: flags.renameDetection === false,
    ask,
    dryRun: Boolean(flags.check),
    extension: flags.ext,
  });
  const changed = results.filter((r) => r.operations.length > 0);
  for (const r of results) {
    for (const name of r.undeclared) {
      io.stderr.write(`${c.yellow('warning')}: ${r.app}/${name} declares no \`effect\`; make assumes it changes nothing it tracks (export \`effect\` to declare its schema changes).\n`);
    }
  }
  if (json) {
    writeJson(io, { changed: changed.length > 0, apps: results.map(summary) });
  } else if (changed.length === 0) {
    io.stdout.write(`No changes detected${apps.length > 0 ? ` in app(s) ${apps.join(', ')}` : ''}.\n`);
  } else {
    for (const r of changed) {
      io.stdout.write(`${flags.check ? 'Missing migration' : 'Migrations'} for '${c.bold(r.app)}':\n  ${r.file}\n${r.changes.map((line) => `    - ${line}\n`).join('')}`);
    }
    if (flags.check) io.stdout.write(`${changed.length} app(s) have model changes without a migration: run fbs-migrate make${apps.length ? ` ${apps.join(' ')}` : ''}.\n`);
  }
  return flags.check && changed.length > 0 ? EXIT.FAILED : EXIT.OK;
}

function summary(r: AppMigrationResult) {
  return { app: r.app, name: r.name ?? null, file: r.file ?? null, changes: r.changes, operations: r.operations, undeclared: r.undeclared };
}


/** Adds `make` to the program; `action` wraps the command in the CLI's project handling. */
export function registerMake(
  program: Command,
  action: (command: Command, fn: (context: CommandContext, apps: string[], flags: MakeFlags) => Promise<ExitCode>) => (flags: any, command: Command) => Promise<void>,
): void {
  const make = program
    .command('make')
    .argument('[apps...]', 'app labels (default: every app with a migrations folder)')
    .description("write a migration per app whose models differ from what its migrations produce (Django's makemigrations), and the app's _schema.json snapshot")
    .option('--name <name>', 'snake_case name of the new migration (default: from its changes; initial for the first)')
    .option('--rename <old:new>', 'a rename, not a drop + add: table old:new, or column table.old:new (repeatable)', collect)
    .option('--no-rename-detection', 'treat every removed + added pair as a drop + add, without asking')
    .option('--check', 'write nothing; exit 1 and print the changes when a migration is missing (for CI)')
    .option('--from-database <alias>', "first take each app's snapshot from this database's live schema (for migrations written by hand)")
    .addOption(new Option('--ext <ext>', 'file type (default: that of the newest migration, else ts)').choices([...TEMPLATE_EXTENSIONS]));
  const handler = action(make, makeCommand);
  make.action((_apps: string[], flags: any, command: Command) => handler(flags, command));
}
