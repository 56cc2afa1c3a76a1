/**
 * `@fbs/migrate/cli`: the building blocks of the `fbs-migrate` command line (and of `fbs-solutions`,
 * which reuses them): the commander program, the config loader, tables, progress bars, the bin
 * shell. A separate entry point, so `import { Migrator } from '@fbs/migrate'` loads none of them.
 *
 * @example
 * ```ts
 * import { memoryIo, runCli } from '@fbs/migrate/cli';
 * const io = memoryIo({ cwd: '/srv/app' });
 * const code = await runCli(['status', '--all'], io);
 * ```
 */
export { runCli, runProgram, createProgram, addTargetOptions } from './cli/program';
export { collect, duration, positiveInteger } from './cli/option-parsers';
export type { ProgramOptions } from './cli/program';
export { EXIT } from './cli/exit-codes';
export type { ExitCode } from './cli/exit-codes';
export { processIo, memoryIo } from './cli/cli-io';
export { runBin } from './cli/run-bin';
export type { CliIo, CliStream } from './cli/cli-io';
export { loadCliConfig, CONFIG_FILE_NAMES } from './cli/cli-config';
export type { LoadCliConfigOptions, LoadedCliConfig } from './cli/cli-config';
export { defineConfig } from './fbs-config';
export type { FbsCliConfig, SolutionTargets } from './fbs-config';
export { colorsFor, formatTable, toJson, writeError, writeJson } from './cli/output';
export { attachMigrationProgressBar, attachProgressBar } from './cli/progress';
export type { DatabaseProgressEvents, MigrationProgressEvents, ProgressBarOptions } from './cli/progress';
export { attachMigrationLines } from './cli/migration-lines';
export type { MigrationLinesOptions } from './cli/migration-lines';
export { resolveTargets } from './cli/targets';
export type { TargetFlags } from './cli/targets';
export { UsageError, isUsageError } from './cli/usage-error';
export { withProject } from './cli/command-context';
export type { CommandContext, GlobalFlags } from './cli/command-context';
export { cliReference, helpReference, replaceGenerated, withCliReference, REFERENCE_WIDTH } from './cli/help-reference';
export { createModuleLoader } from './module-loader';
export type { ModuleLoader } from './module-loader';
