import { ConfigurationError, normalizeDatabaseConfig, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
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
  /** The server's normalized config (contains the password: never log it). */
  readonly server: NormalizedDatabaseConfig;
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
  const server = normalizeDatabaseConfig('solutions server', config.server ?? project.connections.config(systemAlias));
  if (server.dialect !== 'postgres') throw new ConfigurationError(`Solution databases need PostgreSQL for now (server dialect is '${server.dialect}').`);
  const perSolution = config.pool?.perSolution ?? 2;
  if (perSolution < 2) throw new ConfigurationError('pool.perSolution must be at least 2: a migration holds a lock connection and a migration connection.');
  const pool = resolvePoolCap(config.pool, naming.kinds.length);
  const given = config.migrator as { concurrency?: unknown; up?: unknown } | undefined;
  if (given && typeof given.up !== 'function' && typeof given.concurrency === 'number') checkMigrationConcurrency(given.concurrency, pool, 'migrator.concurrency');
  const template = config.templates === false ? undefined : templateName(typeof config.templates === 'object' ? config.templates.name : undefined);
  const roles = config.roles ? new SolutionRoles(config.roles, dialectFor(server.dialect).admin, server.username) : undefined;
  if (template !== undefined) checkTemplateLength(template, naming, roles);
  return { naming, systemAlias, catalogueTable, server, template, roles };
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
