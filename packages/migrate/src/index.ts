export { Migrator } from './migrator';
export {
  MigrationAbortedError, MigrationFailedError, MigrationLockLostError, MigrationLockTimeoutError, MigrationLockedError, MigrationPlanError, MigrationPoolerError,
} from './errors';
export type { CheckProblem, CheckProblemKind, DatabaseCheck } from './migration-check';
export type { MigrationConflict } from './migration-conflicts';
export type { HistoryRepair } from './history-repair';
export type { DatabaseSql, MigrationSql, SqlOptions } from './sql-preview';
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
