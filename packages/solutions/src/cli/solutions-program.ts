import { Command } from 'commander';
import { collect, EXIT, isUsageError, positiveInteger, processIo, runProgram, type CliIo, type ExitCode } from '@fbs/migrate/cli';
import { createCommand, dropCommand, listCommand, migrateCommand, type SolutionsContext } from './commands';
import { runEachCommand, seedEachCommand } from './each-commands';
import { loadFromConfigFile, type SolutionsLoader } from './load-manager';
import { moveCommand, rebalanceCommand, serversCommand } from './server-commands';

/** Options of {@link runSolutionsCli}. */
export interface SolutionsCliOptions {
  /** Where the manager comes from (default: the `fbs.config.*` file's `solutions`). */
  readonly load?: SolutionsLoader;
  /**
   * Stops `create` and `migrate` after the current step or migration (a migration in flight is
   * rolled back); they print what was done and return 130. The bin wires SIGINT/SIGTERM to it.
   */
  readonly signal?: AbortSignal;
}

/** Errors the user fixes on the command line: exit code 2. */
const USAGE = new Set(['FBS_INVALID_SOLUTION_NAME', 'FBS_CONFIRMATION_REQUIRED', 'FBS_UNKNOWN_SOLUTION', 'FBS_ROLE_NOT_OWNED', 'FBS_CONFIGURATION']);

/**
 * The `fbs-solutions` command line: `create`, `list`, `drop`, `migrate`, in the style of `fbs-migrate`
 * (same config file, tables for people, `--json` for scripts, exit codes 0 / 1 failed / 2 usage /
 * 130 interrupted through `options.signal`).
 */
export function createSolutionsProgram(io: CliIo, result: { code: ExitCode }, options: SolutionsCliOptions = {}): Command {
  const load = options.load ?? loadFromConfigFile;
  const program = new Command('fbs-solutions')
    .description('Solution (tenant) databases of an @fbs/core project: create, list, drop, migrate, seed, run a script in each, move between servers.')
    .option('-c, --config <path>', 'config file (default: fbs.config.{ts,mts,cts,js,mjs,cjs} in the working directory)')
    .option('--json', 'print machine-readable JSON on stdout')
    .configureHelp({ helpWidth: Math.min(io.stdout.columns ?? 80, 100), showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(s) })
    .exitOverride()
    .showHelpAfterError('(run fbs-solutions --help for usage)');

  const run =
    (fn: (context: SolutionsContext, ...args: any[]) => Promise<ExitCode>) =>
    async (...args: any[]) => {
      const command = args.at(-1) as Command;
      const globals = command.optsWithGlobals() as { config?: string; json?: boolean };
      const loaded = await load(io, globals.config);
      try {
        result.code = await fn({ io, manager: loaded.manager, json: Boolean(globals.json), signal: options.signal }, ...args.slice(0, -1));
      } finally {
        await loaded.close();
      }
    };

  program
    .command('create')
    .description('create solutions: both databases at the latest migrations (cloned from templates when possible), catalogued')
    .argument('<names...>', 'solution names: [a-z][a-z0-9_]{0,39}')
    .option('--server <name>', 'place them on this server (default: the placement policy)')
    .action(run((context, names: string[], flags: { server?: string }) => createCommand(context, names, flags.server)));

  program
    .command('list')
    .description('the solutions in the catalogue')
    .option('--all', 'include solutions whose creation or drop was interrupted')
    .action(run((context, flags: { all?: boolean }) => listCommand(context, Boolean(flags.all))));

  program
    .command('drop')
    .description("drop a solution's databases, role and catalogue entry")
    .argument('<name>', 'the solution')
    .option('--confirm <name>', 'the solution name again: dropping deletes all its data')
    .action(run((context, name: string, flags: { confirm?: string }) => dropCommand(context, name, flags.confirm)));

  program
    .command('migrate')
    .description('apply pending migrations to every solution (or the named ones); one failing solution does not stop the others')
    .option('-s, --solution <name>', 'a solution (repeatable; default: all)', collect)
    .option('--concurrency <n>', 'databases migrated at once (default: the migrator config, 4)', positiveInteger)
    .action(run((context, flags: { solution?: string[]; concurrency?: number }) => migrateCommand(context, flags.solution, flags.concurrency)));

  const each = (command: Command) =>
    command
      .option('-s, --solution <name>', 'a solution (repeatable)', collect)
      .option('--all', 'every ready solution')
      .option('--concurrency <n>', 'solutions at once (default 4)', positiveInteger)
      .option('--continue-on-error', 'keep starting solutions after one fails (default: stop at the first failure; the rest are skipped)');

  each(program.command('seed').description("run the apps' seeds on each solution's databases, inside the solution (once per database; --always again)"))
    .argument('[apps...]', "only these apps' seeds (default: every app's)")
    .option('--always', 'run every seed again, also those the seed history records as run')
    .action(run((context, apps: string[], flags) => seedEachCommand(context, apps, flags)));

  each(program.command('run').description('run a script once per solution, inside the solution: its default (or `run`) export gets { solution, databases, project, signal }'))
    .argument('<script>', 'a .ts or .js module, relative to the working directory')
    .action(run((context, script: string, flags) => runEachCommand(context, script, flags)));

  program
    .command('servers')
    .description('the servers solutions are placed on: address, solutions, weight, draining')
    .action(run((context) => serversCommand(context)));

  program
    .command('move')
    .description("move a solution's databases to another server (pg_dump | pg_restore under a write freeze, verified); rerun to finish or revert an interrupted move")
    .argument('<name>', 'the solution')
    .requiredOption('--to <server>', 'the target server, or kind=server pairs (djo=pg1,fbs=pg2)')
    .action(run((context, name: string, flags: { to: string }) => moveCommand(context, name, flags.to)));

  program
    .command('rebalance')
    .description('even out solutions per server (draining servers are emptied): propose the moves, and run them unless --dry-run')
    .option('--dry-run', 'only print the proposed moves')
    .action(run((context, flags: { dryRun?: boolean }) => rebalanceCommand(context, Boolean(flags.dryRun))));

  return program;
}

/**
 * Runs `fbs-solutions` with `argv` (without node and the script); returns the exit code. Never exits
 * the process and never touches process signals (the bin wires SIGINT/SIGTERM to `options.signal`).
 *
 * @example
 * ```ts
 * process.exitCode = await runSolutionsCli(process.argv.slice(2));
 * ```
 */
export async function runSolutionsCli(argv: readonly string[], io: CliIo = processIo(), options: SolutionsCliOptions = {}): Promise<ExitCode> {
  const result = { code: EXIT.OK as ExitCode };
  const isUsage = (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    return isUsageError(error) || (typeof code === 'string' && USAGE.has(code));
  };
  return runProgram(createSolutionsProgram(io, result, options), result, argv, io, isUsage);
}
