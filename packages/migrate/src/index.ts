export { Migrator } from './migrator';
export { MigrationFailedError, MigrationLockedError, MigrationPlanError } from './errors';
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
