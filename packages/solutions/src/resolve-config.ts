import { ConfigurationError, normalizeDatabaseConfig, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
import { checkPlacementPolicy, type PlacementPolicy } from './placement-policy';
import { resolveServers, type ResolvedServer } from './servers';
import type { SolutionsConfig } from './config';
import { DEFAULT_DATABASE_TEMPLATES, SolutionNaming } from './naming';
import { checkMigrationConcurrency, resolvePoolCap } from './pool-cap-config';
import { SolutionRoles } from './roles';
import { MAX_IDENTIFIER_BYTES } from './solution-name';
import { templateName } from './template-store';

/** A checked `SolutionsConfig`, with defaults filled in. */
export interface ResolvedSolutionsConfig {
  readonly naming: SolutionNaming;
  readonly systemAlias: string;
  readonly catalogueTable: string;
  /** The servers solutions are placed on (configs contain passwords: never log them). */
  readonly servers: readonly ResolvedServer[];
  /** The system database's server config, where solution locks are taken. */
  readonly lockServer: NormalizedDatabaseConfig;
  readonly placement: PlacementPolicy;
  /** The server of catalogue rows without one. */
  readonly legacyServer: string;
  /** The template databases' solution name, or undefined when templates are off. */
  readonly template: string | undefined;
  readonly roles: SolutionRoles | undefined;
}

/** Checks every option before anything is built; errors are `ConfigurationError`s naming the value and the fix. */
export function resolveSolutionsConfig(project: Project, config: SolutionsConfig): ResolvedSolutionsConfig {
  if (!project || typeof project !== 'object' || !project.connections) throw new ConfigurationError('new SolutionManager(project) needs the project from createProject().');
  const naming = new SolutionNaming(config.databases ?? DEFAULT_DATABASE_TEMPLATES);
  const systemAlias = config.systemAlias ?? 'default';
  if (!project.connections.has(systemAlias)) {
    throw new ConfigurationError(`The system database alias '${systemAlias}' (catalogue of solutions) is not configured. Set systemAlias or configure it.`);
  }
  const catalogueTable = config.catalogueTable ?? 'fbs_solutions';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(catalogueTable)) {
    throw new ConfigurationError(`catalogueTable ${JSON.stringify(catalogueTable)} must be a lowercase identifier, e.g. 'fbs_solutions'.`);
  }
  if (config.server !== undefined && config.servers !== undefined) throw new ConfigurationError('Set either server (one server) or servers (several by name), not both.');
  const servers = resolveServers(config.servers, () => config.server ?? project.connections.config(systemAlias));
  const lockServer = normalizeDatabaseConfig('system database', project.connections.config(systemAlias));
  if (lockServer.dialect !== 'postgres') throw new ConfigurationError(`The system database (alias '${systemAlias}') of solutions must be PostgreSQL (dialect is '${lockServer.dialect}').`);
  const legacyServer = config.legacyServer ?? servers[0]!.name;
  if (!servers.some((s) => s.name === legacyServer)) {
    throw new ConfigurationError(`legacyServer ${JSON.stringify(legacyServer)} is not one of the servers (${servers.map((s) => s.name).join(', ')}).`);
  }
  const placement = checkPlacementPolicy(config.placement);
  const perSolution = config.pool?.perSolution ?? 2;
  if (perSolution < 2) throw new ConfigurationError('pool.perSolution must be at least 2: a migration holds a lock connection and a migration connection.');
  const pool = resolvePoolCap(config.pool, naming.kinds.length);
  const given = config.migrator as { concurrency?: unknown; up?: unknown } | undefined;
  if (given && typeof given.up !== 'function' && typeof given.concurrency === 'number') checkMigrationConcurrency(given.concurrency, pool, 'migrator.concurrency');
  const template = config.templates === false ? undefined : templateName(typeof config.templates === 'object' ? config.templates.name : undefined);
  const admins = new Set(servers.map((s) => s.config.username));
  if (config.roles && admins.size > 1) throw new ConfigurationError(`With roles on, every server must use the same admin user (they use ${[...admins].join(', ')}).`);
  const first = servers[0]!.config;
  const roles = config.roles ? new SolutionRoles(config.roles, dialectFor(first.dialect).admin, first.username) : undefined;
  if (template !== undefined) checkTemplateLength(template, naming, roles);
  return { naming, systemAlias, catalogueTable, servers, lockServer, placement, legacyServer, template, roles };
}

/** Template database (and role) names must fit PostgreSQL's identifiers, which it would otherwise truncate silently. */
function checkTemplateLength(template: string, naming: SolutionNaming, roles: SolutionRoles | undefined): void {
  const names = [...naming.kinds.map((kind) => naming.database(kind, template)), ...(roles ? [roles.role(template)] : [])];
  const tooLong = names.find((name) => Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES);
  if (tooLong === undefined) return;
  const spare = template.length - (Buffer.byteLength(tooLong) - MAX_IDENTIFIER_BYTES);
  throw new ConfigurationError(
    `templates.name ${JSON.stringify(template)} gives '${tooLong}' (${Buffer.byteLength(tooLong)} bytes), longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte identifier limit; ` +
      `use a name of at most ${Math.max(spare, 'template'.length)} characters with these name templates${spare < 'template'.length ? ', and shorter database or role name templates' : ''}.`,
  );
}
