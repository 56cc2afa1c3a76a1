import { Command } from 'commander';
import { EXIT, isUsageError, positiveInteger, processIo, runProgram, type CliIo, type ExitCode } from '@fbs/migrate/cli';
import { createCommand, dropCommand, listCommand, migrateCommand, type SolutionsContext } from './commands';
import { loadFromConfigFile, type SolutionsLoader } from './load-manager';

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

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** Errors the user fixes on the command line: exit code 2. */
const USAGE = new Set(['FBS_INVALID_SOLUTION_NAME', 'FBS_CONFIRMATION_REQUIRED', 'FBS_UNKNOWN_SOLUTION', 'FBS_ROLE_NOT_OWNED']);

/**
 * The `fbs-solutions` command line: `create`, `list`, `drop`, `migrate`, in the style of `fbs-migrate`
 * (same config file, tables for people, `--json` for scripts, exit codes 0 / 1 failed / 2 usage /
 * 130 interrupted through `options.signal`).
 */
export function createSolutionsProgram(io: CliIo, result: { code: ExitCode }, options: SolutionsCliOptions = {}): Command {
  const load = options.load ?? loadFromConfigFile;
  const program = new Command('fbs-solutions')
    .description('Solution (tenant) databases of an @fbs/core project: create, list, drop, migrate.')
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
    .action(run((context, names: string[]) => createCommand(context, names)));

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
