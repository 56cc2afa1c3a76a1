import { Command, CommanderError, Option } from 'commander';
import { type CliIo, processIo } from './cli-io';
import { withProject, type CommandContext, type GlobalFlags } from './command-context';
import { checkSchemaCommand } from './commands/check-command';
import { createCommand } from './commands/create-command';
import { addDbCommands, dbCommand } from './commands/db-command';
import { registerMake } from './commands/make-command';
import { historyCommand } from './commands/history-command';
import { planCommand } from './commands/plan-command';
import { routesCommand } from './commands/routes-command';
import { seedCommand, seedOptions } from './commands/seed-command';
import { sqlCommand } from './commands/sql-command';
import { runCommand } from './commands/run-command';
import { statusCommand } from './commands/status-command';
import { EXIT, type ExitCode } from './exit-codes';
import { TEMPLATE_EXTENSIONS } from './migration-template';
import { toJson, writeError } from './output';
import { collect, duration, positiveInteger } from './option-parsers';
import { isUsageError } from './usage-error';

/** Options of {@link createProgram}. */
export interface ProgramOptions {
  /** Help text width (default: the terminal's, at most 100). */
  readonly helpWidth?: number;
  /** Aborts `up`/`down` (the bin wires SIGINT/SIGTERM to it): they stop after the current migration and exit 130. */
  readonly signal?: AbortSignal;
}

/**
 * Adds the target selection options (`--database`, `--all`, `--solution`, `--all-solutions`) to a command.
 *
 * @example
 * ```ts
 * addTargetOptions(program.command('drop')).action(...);
 * ```
 */
export function addTargetOptions(command: Command): Command {
  return command
    .option('-d, --database <alias>', 'a database alias (repeatable)', collect)
    .option('-a, --all', 'every configured database')
    .option('-s, --solution <name>', "a solution's databases, through the config's `solutions` (repeatable)", collect)
    .option('--all-solutions', "every solution's databases, through the config's `solutions`");
}

/**
 * The `fbs-migrate` command line (commander). Actions set the exit code in `result.code`.
 *
 * @example
 * ```ts
 * const result = { code: EXIT.OK as ExitCode };
 * await createProgram(processIo(), result).parseAsync(process.argv);
 * ```
 */
export function createProgram(io: CliIo, result: { code: ExitCode }, options: ProgramOptions = {}): Command {
  const program = new Command('fbs-migrate')
    .description('Router-filtered migrations for @fbs/core projects: each app\'s migrations run on exactly the databases the routers allow.')
    .option('-c, --config <path>', 'config file (default: fbs.config.{ts,mts,cts,js,mjs,cjs} in the working directory)')
    .option('--json', 'print machine-readable JSON on stdout')
    .configureHelp({ helpWidth: options.helpWidth ?? Math.min(io.stdout.columns ?? 80, 100), showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(s) })
    .exitOverride()
    .showHelpAfterError('(run fbs-migrate --help for usage)');

  const run = (fn: (flags: any, command: Command) => Promise<ExitCode>) => async (flags: any, command: Command) => {
    result.code = await fn(flags, command);
  };
  const runWith = (fn: (arg: string | undefined, flags: any, command: Command) => Promise<ExitCode>) => async (arg: string | undefined, flags: any, command: Command) => {
    result.code = await fn(arg, flags, command);
  };
  const globals = (command: Command): GlobalFlags => command.optsWithGlobals();

  const runOptions = (command: Command, to: string) =>
    addTargetOptions(command)
      .addOption(new Option('--to <name>', to).conflicts('step'))
      .option('--step <n>', 'how many migrations per database', positiveInteger)
      .option('--concurrency <n>', 'databases migrated at once (default: the migrator config, 4)', positiveInteger)
      .option('--no-wait', 'fail at once when another migrator holds a database\'s lock, instead of waiting')
      .option('--lock-timeout <duration>', 'give up waiting for another migrator\'s lock after this long (500ms, 30s, 2m; default: wait)', duration)
      .option('--continue-on-error', 'keep migrating the other databases after one fails, and report every failure')
      .option('--fake', 'record the migrations in the history (down: erase them) without running them');

  runOptions(program.command('up').description('apply pending migrations on the selected databases'), 'apply up to and including this migration (app_label/name)')
    .option('--check', 'apply nothing: exit 1 when a selected database has a pending, edited, unknown or conflicting migration, with the reasons (CI)')
    .addOption(new Option('--fake-initial', "record an app's first migration without running it when every table it creates exists already").conflicts('fake'))
    .argument('[app]', "only this app's migrations, with the migrations they depend on (like Django's migrate app_label)")
    .option('--app <label>', 'the same as the [app] argument (repeatable)', collect)
    .action(runWith((app, flags, command) => withProject(io, globals(command), (context) => runCommand('up', context, { ...flags, app: [...(app ? [app] : []), ...(flags.app ?? [])] }, options.signal))));

  runOptions(program.command('down').description('revert migrations (the last one per database unless --step or --to)'), 'revert back to and including this migration; 0 reverts all')
    .action(run((flags, command) => withProject(io, globals(command), (context) => runCommand('down', context, flags, options.signal))));

  addTargetOptions(program.command('status').description('databases × migrations: applied, pending, not routed here; flags edited migrations; lists read replicas and their lag'))
    .option('--concurrency <n>', 'databases read at once (default: twice the migrator concurrency)', positiveInteger)
    .option('--check', 'exit 1 when a selected database has a pending, edited, unknown or conflicting migration, with the reasons (CI)')
    .action(run((flags, command) => withProject(io, globals(command), (context) => statusCommand(context, flags))));

  addTargetOptions(program.command('plan').description('what `up` would apply per database, in order, without running or creating anything'))
    .option('--sql', 'print the SQL each pending migration would run, captured in a transaction that is rolled back (PostgreSQL)')
    .action(run((flags, command) => withProject(io, globals(command), (context) => (flags.sql ? sqlCommand(context, flags) : planCommand(context, flags)))));

  addTargetOptions(program.command('sqlmigrate <name>').description('the SQL migration NAME (app_label/name) would run on each selected database, captured in a transaction that is rolled back'))
    .action(runWith((name, flags, command) => withProject(io, globals(command), (context) => sqlCommand(context, flags, name))));

  const history = program.command('history').description('repair the history table of the selected databases (runs no migration)');
  addTargetOptions(history.command('forget <name>').description('delete the history row of migration NAME (app_label/name), e.g. one no app ships any more'))
    .action(runWith((name, flags, command) => withProject(io, globals(command), (context) => historyCommand('forget', name!, context, flags))));
  addTargetOptions(history.command('accept <name>').description('record the current checksum of migration NAME, edited after it was applied (its edit is harmless)'))
    .action(runWith((name, flags, command) => withProject(io, globals(command), (context) => historyCommand('accept', name!, context, flags))));

  program
    .command('create')
    .description("write a new migration file into an app's migrations folder, numbered after the last one")
    .requiredOption('--app <label>', 'the app label')
    .requiredOption('--name <name>', 'snake_case name, e.g. add_usage_table')
    .addOption(new Option('--ext <ext>', 'file type (default: that of the newest migration, else ts)').choices([...TEMPLATE_EXTENSIONS]))
    .action(run((flags, command) => withProject(io, globals(command), (context) => createCommand(context, flags))));

  registerMake(program, (command, fn) => run((flags, cmd) => withProject(io, globals(cmd), (context) => fn(context, command.args, flags))));

  addTargetOptions(program.command('check'))
    .description("system checks: associations across databases, routers naming unknown aliases or apps, apps that may migrate nowhere, broken migration dependencies (exit 1 on an error)")
    .option('--schema', 'instead: compare the models with the live schema of each selected database (default: all): missing or extra columns and indexes, type/null/default differences')
    .action(run((flags, command) => withProject(io, globals(command), (context) => checkSchemaCommand(context, flags))));

  addTargetOptions(program.command('routes').description('each model × the databases it is read from, written to and migrated on, according to the routers'))
    .action(run((flags, command) => withProject(io, globals(command), (context) => routesCommand(context, flags))));

  // Commands whose arguments come before the flags: `fn(context, ...arguments, flags)`.
  const inProject = (fn: (context: CommandContext, ...args: any[]) => Promise<ExitCode>) => async (...args: any[]) => {
    result.code = await withProject(io, globals(args.at(-1) as Command), (context) => fn(context, ...args.slice(0, -1)));
  };

  seedOptions(addTargetOptions(program.command('seed').description("run the apps' seeds on the selected databases the routers allow them on, once per database")), positiveInteger)
    .action(inProject(seedCommand));
  addDbCommands(program, (verb) => inProject((context, flags) => dbCommand(verb, context, flags)), addTargetOptions, positiveInteger);

  return program;
}

/**
 * Runs `fbs-migrate` with `argv` (without node and the script) and returns the exit code:
 * 0 ok, 1 a migration failed, 2 usage or configuration error, 130 aborted through
 * `options.signal`. Never exits the process and never touches process signals (the bin does).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo(), options: Pick<ProgramOptions, 'signal'> = {}): Promise<ExitCode> {
  const result = { code: EXIT.OK as ExitCode };
  return runProgram(createProgram(io, result, options), result, argv, io);
}

/**
 * Runs a commander program built in the fbs CLI style and maps its outcome to an exit code: help
 * without arguments (2), commander's own errors (2), usage errors (2, or whatever `isUsage` accepts),
 * other errors (1, written to stderr and, with `--json`, as `{ error }` on stdout). Shared by
 * `fbs-migrate` and `fbs-solutions`.
 */
export async function runProgram(
  program: Command,
  result: { code: ExitCode },
  argv: readonly string[],
  io: CliIo,
  isUsage: (error: unknown) => boolean = isUsageError,
): Promise<ExitCode> {
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    writeError(io, error);
    if (program.opts().json) io.stdout.write(`${toJson({ error })}\n`);
    return isUsage(error) ? EXIT.USAGE : EXIT.FAILED;
  }
}
