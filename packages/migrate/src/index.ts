export { Migrator } from './migrator';
export {
  MigrationAbortedError, MigrationFailedError, MigrationLockLostError, MigrationLockTimeoutError, MigrationLockedError, MigrationPlanError, MigrationPoolerError,
} from './errors';
export type {
  DatabasePlan,
  DatabaseRun,
  DatabaseStatus,
  DownOptions,
  MigrationState,
  MigrationStatus,
  MigratorConfig,
  MigratorEvents,
  PlanOptions,
  RunOptions,
  RunReport,
  StatusOptions,
  TargetOptions,
  UpOptions,
} from './types';

// CLI building blocks (shared with the fbs-solutions bin)
export { runCli, runProgram, createProgram, addTargetOptions, positiveInteger, duration } from './cli/program';
export type { ProgramOptions } from './cli/program';
export { EXIT } from './cli/exit-codes';
export type { ExitCode } from './cli/exit-codes';
export { processIo, memoryIo } from './cli/cli-io';
export { runBin } from './cli/run-bin';
export type { CliIo, CliStream } from './cli/cli-io';
export { loadCliConfig, defineConfig, CONFIG_FILE_NAMES } from './cli/cli-config';
export type { FbsCliConfig, LoadCliConfigOptions, LoadedCliConfig, SolutionTargets } from './cli/cli-config';
export { colorsFor, formatTable, toJson, writeError, writeJson } from './cli/output';
export { attachProgressBar } from './cli/progress';
export type { DatabaseProgressEvents, ProgressBarOptions } from './cli/progress';
export { resolveTargets } from './cli/targets';
export type { TargetFlags } from './cli/targets';
export { UsageError, isUsageError } from './cli/usage-error';
export { withProject } from './cli/command-context';
export type { CommandContext, GlobalFlags } from './cli/command-context';
export { cliReference, withCliReference } from './cli/help-reference';
