export { Migrator } from './migrator';
export {
  MigrationAbortedError, MigrationFailedError, MigrationLockLostError, MigrationLockTimeoutError, MigrationLockedError, MigrationPlanError,
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

export { defineConfig } from './fbs-config';
export type { FbsCliConfig, SolutionTargets } from './fbs-config';

// The CLI building blocks (commander, tables, progress bars, the config loader) are in
// `@fbs/migrate/cli`, so that importing the library loads none of them.
