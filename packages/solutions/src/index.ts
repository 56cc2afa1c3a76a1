export { SolutionManager } from './solution-manager';
export type { SolutionServers } from './solution-servers';
export type { CreateOptions, DropOptions, MigrateAllOptions, SolutionsConfig } from './config';
export type { SolutionInfo } from './solution-info';
export type { MoveJournal, SolutionRecord, SolutionState } from './catalogue';
export { DEFAULT_SERVER, SERVER_NAME_PATTERN } from './servers';
export type { ResolvedServer, ServerConfig } from './servers';
export type { PlacementContext, PlacementPolicy, ServerLoad } from './placement-policy';
export type { ServerInfo } from './server-loads';
export { MOVE_STEPS } from './solution-move';
export type { MoveOptions, MoveReport, MoveStep } from './solution-move';
export type { PgToolsConfig } from './pg-copy';
export type { PlacementCheck } from './moved-away';
export type { ProposedMove, RebalancePlan } from './rebalance';
export type { ProvisionedVia, SolutionEvents, SolutionPlugin } from './events';
export type { MigrateAllReport, SolutionRun } from './migrate-all';
export type { RunEachOptions, RunEachReport, SolutionTask, SolutionTaskContext, SolutionTaskRun } from './run-each';
export type { SeedEachOptions } from './seed-each';
export type { SolutionDatabaseRun, SolutionMigrator, SolutionRunReport } from './migrator-contract';
export type { AbortedCreation } from './errors';
export { DEFAULT_DATABASE_TEMPLATES, SolutionNaming, solutionHintsFor } from './naming';
export type { DatabaseTemplates, ParsedAlias } from './naming';
export { MAX_IDENTIFIER_BYTES, RESERVED_SOLUTION_PREFIXES, SOLUTION_NAME_PATTERN, solutionNameGuard, validateSolutionName } from './solution-name';
export type { SolutionNameRules } from './solution-name';
export { SolutionRouter } from './solution-router';
export type { SolutionRouterConfig } from './solution-router';
export { ConnectionCap } from './pool-cap';
export type { PoolCapConfig, PoolCapStats } from './pool-cap';
export { roleMarker } from './roles';
export type { RolesConfig } from './roles';
export { DEFAULT_ROLE_TEMPLATE } from './role-name';
export { TEMPLATE_SOLUTION } from './template-store';
export {
  ConfirmationRequiredError,
  CrossSolutionError,
  InvalidSolutionNameError,
  PoolCapTimeoutError,
  RoleOwnershipError,
  ServerUnavailableError,
  SolutionAbortedError,
  SolutionMoveError,
  SolutionMovingError,
  SolutionStateError,
  UnknownSolutionError,
} from './errors';
export { createSolutionsProgram, runSolutionsCli } from './cli/solutions-program';
export type { SolutionsCliOptions } from './cli/solutions-program';
export { loadFromConfigFile } from './cli/load-manager';
export { solutionsCliReference, withSolutionsCliReference } from './cli/help-reference';
export type { LoadedSolutions, SolutionsLoader } from './cli/load-manager';
