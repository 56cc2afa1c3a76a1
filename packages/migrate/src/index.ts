export { Migrator } from './migrator';
export {
  MigrationAbortedError, MigrationFailedError, MigrationLockLostError, MigrationLockTimeoutError, MigrationLockedError, MigrationPlanError, SchemaError,
} from './errors';

// Generated migrations (makemigrations): models → schema, snapshot, diff, render, live schema
export { makeMigrations } from './autodetect/make-migrations';
export type { AppMigrationResult, MakeMigrationsOptions } from './autodetect/make-migrations';
export { modelSchemas } from './autodetect/model-schema';
export { liveSchema } from './autodetect/live-schema';
export { schemaDrift } from './autodetect/schema-drift';
export type { SchemaDrift, SchemaDriftOptions } from './autodetect/schema-drift';
export { snapshotFromDatabase } from './autodetect/from-database';
export type { BootstrappedSnapshot } from './autodetect/from-database';
export { diffSchemas } from './autodetect/schema-diff';
export { applyOperations, describeColumn, describeOperation, invertOperation } from './autodetect/operations';
export { renderMigration } from './autodetect/render-migration';
export type { RenderMigrationOptions } from './autodetect/render-migration';
export { migrationsState, readSnapshot, writeSnapshot, SNAPSHOT_FILE } from './autodetect/snapshot';
export type { MigrationsState, SchemaSnapshot } from './autodetect/snapshot';
export { parseRename } from './autodetect/rename-questions';
export type { RenameAnswer, RenameOptions, RenameQuestion } from './autodetect/rename-questions';
export { canonicalType, normalizeDefault } from './autodetect/canonical';
export { EMPTY_SCHEMA } from './autodetect/schema-types';
export type { AppSchema, ColumnSchema, ForeignKeySchema, IndexSchema, SchemaOperation, TableSchema } from './autodetect/schema-types';
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
