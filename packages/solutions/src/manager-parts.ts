import { migrationConfig, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import { dialectFor, type ServerAdmin } from '@fbs/core/dialect';
import { SolutionCatalogue } from './catalogue';
import type { SolutionsConfig } from './config';
import { loadSolutionMigrator, type SolutionMigrator } from './migrator-contract';
import { DEFAULT_DATABASE_TEMPLATES, solutionHintsFor, type SolutionNaming } from './naming';
import { resolveSolutionsConfig, type ResolvedSolutionsConfig } from './resolve-config';
import type { SolutionRoles } from './roles';
import { SolutionConnections } from './solution-connections';
import { SolutionDirectory } from './solution-directory';
import type { LifecycleHost } from './solution-lifecycle';
import type { SolutionManager } from './solution-manager';
import { solutionNameGuard, type SolutionNameRules } from './solution-name';
import { SolutionServers } from './solution-servers';
import { WriteFreeze } from './write-freeze';

/** The collaborators a `SolutionManager` delegates to, built from its (checked) config. */
export interface ManagerParts {
  readonly naming: SolutionNaming;
  readonly roles: SolutionRoles | undefined;
  readonly servers: SolutionServers;
  readonly directory: SolutionDirectory;
  readonly freeze: WriteFreeze;
  /** What `validate` checks besides the pattern: the project's and servers' databases, role names. */
  readonly rules: SolutionNameRules;
  /** What create, drop and move need. */
  readonly lifecycle: LifecycleHost;
  /** The migrator solutions are migrated with (built from `config.migrator` on first use). */
  migrator(): Promise<SolutionMigrator>;
  /** Detaches from the project (alias resolver, name guard, hints) and closes the admin connections. */
  close(): Promise<void>;
}

/**
 * Checks `config` (a `ConfigurationError` before anything is registered) and builds the manager's
 * parts: the lock admin on the system database's server, the catalogue, the servers, the alias
 * resolver, the name guard and the hints on the project.
 */
export function buildManagerParts(manager: SolutionManager, project: Project, config: SolutionsConfig): ManagerParts {
  const resolved = resolveSolutionsConfig(project, config);
  const { naming, roles, template } = resolved;
  const freeze = new WriteFreeze(config.freezeWaitMs);
  const lockAdmin = lockAdminFor(resolved.lockServer);
  const catalogue = new SolutionCatalogue(project, resolved.systemAlias, resolved.catalogueTable, () => resolved.legacyServer);
  let migrator: Promise<SolutionMigrator> | undefined;
  const migratorOnce = () => (migrator ??= loadSolutionMigrator(project, config.migrator));
  const servers: SolutionServers = new SolutionServers({
    project, naming, roles, template, pool: config.pool, servers: resolved.servers, placement: resolved.placement, catalogue,
    connections: (): SolutionConnections => connections,
    migrator: migratorOnce,
    refreshed: (server, kind, database, fingerprint) => manager.emit('template:refreshed', { server, kind, database, fingerprint }),
  });
  const { gate, registry } = servers;
  const connections = new SolutionConnections(naming, (name) => registry.get(name), roles, template, config.connection);
  const removeResolver = project.connections.addResolver((alias) => (gate.closed(alias) ? undefined : connections.resolve(alias)));
  const rules = nameRules(project, resolved);
  const guard = solutionNameGuard(naming, rules);
  const removeGuard = project.addSolutionGuard((name) => {
    guard(name);
    freeze.check(name as string);
  });
  // Core knows only `hints.solution`; the manager adds its naming (`database`: the first kind's database, `djo_{name}_db` by default).
  const removeHints = project.addSolutionHints(solutionHintsFor(config.databases ?? DEFAULT_DATABASE_TEMPLATES));
  const directory = new SolutionDirectory({ project, naming, catalogue, connections, registry });
  const lifecycle: LifecycleHost = {
    manager, project, naming, lockAdmin, servers: registry, catalogue, connections, roles,
    templated: template !== undefined,
    plugins: config.plugins ?? [],
    parallelProvisioning: config.parallelProvisioning !== false,
    place: (solution, server) => servers.place(solution, server),
    migrator: migratorOnce,
    emit: (event, ...args) => void (manager.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
    usable: (solution, ready) => directory.usable(solution, ready),
  };
  const close = async () => {
    removeResolver();
    removeGuard();
    removeHints();
    await registry.close();
    await lockAdmin.close();
  };
  return { naming, roles, servers, directory, freeze, rules, lifecycle, migrator: migratorOnce, close };
}

/** Where solution locks are taken: the system database's server, on its `migrationUrl` when set. */
function lockAdminFor(lockServer: NormalizedDatabaseConfig): ServerAdmin {
  return dialectFor(lockServer.dialect, 'The system database').serverAdmin(migrationConfig('system database', lockServer), {
    // The admin locks are session locks, which a transaction pooler cannot keep: refused unless a migrationUrl bypasses it.
    applicationName: 'fbs-solutions', logNamespace: 'fbs:solutions:sql', refusePooler: lockServer.migrationUrl === undefined,
  });
}

/** A solution may not take the servers' or the project's databases and aliases; its role name must fit too. */
function nameRules(project: Project, { naming, servers, roles }: ResolvedSolutionsConfig): SolutionNameRules {
  const isSolution = (alias: string) => naming.parse(alias) !== undefined;
  const projectNames = project.connections.aliases().flatMap((a) => (isSolution(a) ? [] : [a, project.connections.config(a).database]));
  const taken = new Set([...servers.map((s) => s.config.database), ...projectNames]);
  return { taken, extraNames: roles ? (n) => [roles.role(n)] : undefined };
}
