import type { Project } from '@fbs/core';
import type { SolutionCatalogue } from './catalogue';
import type { MigrateServer } from './migrate-all';
import type { SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import { placeSolution, type PlacementPolicy } from './placement-policy';
import type { ConnectionCap, PoolCapConfig, PoolCapStats } from './pool-cap';
import { proposeRebalance, type RebalancePlan } from './rebalance';
import type { SolutionRoles } from './roles';
import { ServerRegistry } from './server-registry';
import { serverLoads, type ServerInfo } from './server-loads';
import type { ResolvedServer, ServerConfig } from './servers';
import type { SolutionConnections } from './solution-connections';
import { TemplateGate } from './template-gate';

/** What the manager's servers are built from. */
export interface SolutionServersSetup {
  readonly project: Project;
  readonly naming: SolutionNaming;
  readonly roles: SolutionRoles | undefined;
  readonly template: string | undefined;
  readonly pool: PoolCapConfig | undefined;
  readonly servers: readonly ResolvedServer[];
  readonly placement: PlacementPolicy;
  readonly catalogue: SolutionCatalogue;
  readonly connections: () => SolutionConnections;
  migrator(): Promise<SolutionMigrator>;
  refreshed(server: string, kind: string, database: string, fingerprint: string): void;
}

/**
 * The servers of a `SolutionManager` (`solutions.servers`): list them with their loads, add one at
 * runtime, drain one, plan a rebalance; placement of new solutions and per-server pool caps.
 *
 * @example
 * ```ts
 * solutions.servers.add('pg3', 'postgres://admin@pg3.internal/postgres'); // new solutions may go there now
 * solutions.servers.drain('pg1');                                         // none go to pg1 any more
 * const { moves } = await solutions.servers.rebalance();                  // [{ solution, from, to }, …]
 * ```
 */
export class SolutionServers {
  readonly registry: ServerRegistry;
  /** Template databases are not a tenant: their aliases resolve only while a template store migrates them. */
  readonly gate: TemplateGate;
  readonly #setup: SolutionServersSetup;

  constructor(setup: SolutionServersSetup) {
    this.#setup = setup;
    const { project, naming, roles, template, pool } = setup;
    this.gate = new TemplateGate(naming, template, project);
    const gate = this.gate;
    this.registry = new ServerRegistry(
      {
        project, naming, roles, template, gate, pool,
        serverOf: (alias) => setup.connections().serverOf(alias),
        templatesOn: (server) => setup.connections().templatesOn(server),
        migrator: () => setup.migrator(),
        refreshed: setup.refreshed,
      },
      setup.servers,
    );
  }

  /**
   * Every server with its address, solutions (catalogue counts), weight and whether it is draining.
   *
   * @example
   * ```ts
   * await solutions.servers.list(); // [{ name: 'pg1', address: '10.0.0.1:5432', solutions: 120, weight: 1, draining: false }, …]
   * ```
   */
  async list(): Promise<ServerInfo[]> {
    return serverLoads(this.registry.all(), await this.#setup.catalogue.list());
  }

  /** Names of the configured servers, in order. */
  names(): string[] {
    return this.registry.names();
  }

  /**
   * Adds a server at runtime (e.g. after a config reload): new solutions may be placed there at once.
   *
   * @example
   * ```ts
   * solutions.servers.add('pg4', { url: 'postgres://admin@pg4.internal/postgres', maxConnections: 60 });
   * ```
   */
  add(name: string, config: ServerConfig): void {
    this.registry.add(name, config);
  }

  /**
   * Stops (or, with `false`, resumes) new placements on server `name`; its solutions stay until moved.
   *
   * @example
   * ```ts
   * solutions.servers.drain('pg1');
   * ```
   */
  drain(name: string, draining = true): void {
    this.registry.get(name).draining = draining;
  }

  /** The server of each kind for new solution `solution`: `server` if given, else the policy's choice among open servers. */
  async place(solution: string, server: string | undefined): Promise<Record<string, string>> {
    const { naming } = this.#setup;
    if (server !== undefined) {
      this.registry.get(server);
      return Object.fromEntries(naming.kinds.map((kind) => [kind, server]));
    }
    const open = (await this.list()).filter((s) => !s.draining);
    return placeSolution(this.#setup.placement, { solution, kinds: naming.kinds, servers: open }, this.registry.names());
  }

  /**
   * Proposes moves that even out solutions per server (draining servers are emptied); runs none —
   * `solutions.move()` each, or `fbs-solutions rebalance` without `--dry-run`.
   *
   * @example
   * ```ts
   * const { moves, after } = await solutions.servers.rebalance();
   * ```
   */
  async rebalance(): Promise<RebalancePlan> {
    return proposeRebalance(await this.list(), await this.#setup.catalogue.list());
  }

  /** The servers as `migrateAll` needs them, and each solution's placement. */
  async migrateTargets(): Promise<{ servers: MigrateServer[]; placement: Map<string, Readonly<Record<string, string>>> }> {
    const placement = new Map((await this.#setup.catalogue.list()).map((r) => [r.name, r.servers]));
    const servers = this.registry.all().map((h) => ({ name: h.name, admin: h.admin, cap: h.cap.config, concurrency: h.server.migrateConcurrency }));
    return { servers, placement };
  }

  /** Pool cap statistics, summed over servers or of `server`. */
  stats(server?: string): PoolCapStats {
    return server === undefined ? this.registry.stats() : this.registry.get(server).cap.stats();
  }

  /** The pool cap of `server` (default: the first server). */
  cap(server?: string): ConnectionCap {
    return server === undefined ? this.registry.all()[0]!.cap : this.registry.get(server).cap;
  }
}
