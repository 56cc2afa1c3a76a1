export { captureQueries } from './query-capture';
export { defineApp } from './app';
export type { App, AppConfig, ModelClass } from './app';
export { AppRegistry } from './app-registry';
export type { AssociationInfo } from './app-registry';
export { AppLabelRouter } from './app-label-router';
export { HintRouter } from './hint-router';
export type { HintRouterOptions } from './hint-router';
export { ConnectionManager } from './connection-manager';
export type { AliasResolver, ConnectionEvents, SequelizeFactory } from './connection-manager';
export { describeDatabase, normalizeDatabaseConfig } from './database-config';
export { migrationConfig } from './migration-url';
export type { DatabaseConfig, NormalizedDatabaseConfig } from './database-config';
export { databasesFromEnv, SEED_DATABASE_NAMES } from './env-databases';
export type { EnvDatabasesOptions } from './env-databases';
export {
  AppRegistryError,
  ConfigurationError,
  CrossDatabaseError,
  DatabaseUnavailableError,
  FbsError,
  MissingHintError,
  ModelNotOnDatabaseError,
  RelationNotAllowedError,
  SystemCheckError,
  UnknownDatabaseError,
  closest,
  connectionFailureKind,
  connectionHint,
  isConnectionFailure,
} from './errors';
export type { ConnectionFailureKind } from './errors';
export type { MigrationContext, MigrationModule, MigrationSource } from './migration-types';
export type { SeedContext, SeedModule, SeedSource } from './seed-types';
export { createProject, Project } from './project';
export type { ReplicaConfig, ReplicaTopology } from './replica-topology';
export type { ReplicaStatus } from './replication';
export type { ReplicaHealth } from './replica-selector';
export { AliasAccess } from './alias-access';
export type { AliasGuard } from './alias-access';
export type { ProjectConfig } from './project';
export { baseModel, instanceDatabase, isRepository, repositoryAlias } from './instance-state';
export { defaultTableName } from './repository';
export type { InstanceMethod } from './repository';
export type { ProjectSyncOptions } from './project-sync';
export type { CheckOptions, CheckProblem, RouterCheckContext } from './system-check';
export { RoutedModel } from './routed-model';
export type { RouteKind } from './routed-model';
export type { UsingOption } from './using-option';
export type { DatabaseRouter, MigrateHints, ModelMeta, RouteAnswer, RoutingHints } from './router';
export { DEFAULT_DB, RouterChain } from './router-chain';
