export { Migrator } from './migrator';
export {
  MigrationAbortedError, MigrationFailedError, MigrationLockLostError, MigrationLockTimeoutError, MigrationLockedError, MigrationPlanError, MigrationPoolerError, SchemaError,
} from './errors';
export type { CheckProblem, CheckProblemKind, DatabaseCheck } from './migration-check';
export type { MigrationConflict } from './migration-conflicts';
export type { HistoryRepair } from './history-repair';
export type { DatabaseSql, MigrationSql, SqlOptions } from './sql-preview';

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
export { Seeder } from './seeds/seeder';
export { SeedFailedError, SeedPlanError } from './seeds/seed-errors';
export type { DatabaseSeedPlan, DatabaseSeedRun, SeederConfig, SeederEvents, SeedOptions, SeedReport, SeedTargetOptions } from './seeds/seed-types';
export type { SeedRow } from './seeds/seed-history';
export { createMissingDatabases, DatabaseCreateError } from './databases/create-databases';
export { checkDatabaseNames, databaseNameProblem } from './databases/database-name';
export type { CreateDatabasesOptions, CreateDatabasesReport, DatabaseCreation } from './databases/create-types';

export { defineConfig } from './fbs-config';
export type { FbsCliConfig, SolutionTargets } from './fbs-config';

// The CLI building blocks (commander, tables, progress bars, the config loader) are in
// `@fbs/migrate/cli`, so that importing the library loads none of them.
