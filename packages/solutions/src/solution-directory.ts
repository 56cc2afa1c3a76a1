import type { Project } from '@fbs/core';
import type { SolutionCatalogue } from './catalogue';
import { UnknownSolutionError } from './errors';
import type { PlacementCheck } from './moved-away';
import type { SolutionNaming } from './naming';
import type { ServerRegistry } from './server-registry';
import type { SolutionConnections } from './solution-connections';
import type { SolutionInfo } from './solution-info';

/** What the directory reads and points: the catalogue, the aliases, the servers. */
export interface SolutionDirectoryParts {
  readonly project: Project;
  readonly naming: SolutionNaming;
  readonly catalogue: SolutionCatalogue;
  readonly connections: SolutionConnections;
  readonly registry: ServerRegistry;
}

/**
 * Which solutions are ready and where their databases are, as the catalogue says: the manager's
 * view of it. Solutions known to be ready are cached (`withSolution` needs no query for them); the
 * catalogue table is ensured once, on first use (again after a failure).
 */
export class SolutionDirectory {
  readonly #parts: SolutionDirectoryParts;
  /** Solutions known to be ready (a cache of the catalogue). */
  readonly #usable = new Set<string>();
  #init: Promise<void> | undefined;

  constructor(parts: SolutionDirectoryParts) {
    this.#parts = parts;
  }

  /** Ensures the catalogue table; with one server, hands its version to the solution pools. */
  ready(): Promise<void> {
    this.#init ??= (async () => {
      const { catalogue, registry, connections } = this.#parts;
      await catalogue.ensure();
      // One server: its version spares every cold pool Sequelize's probe (with several, each pool probes its own).
      const [only, ...others] = registry.all();
      const version = others.length ? undefined : await only!.admin.session((session) => only!.admin.dialect.serverVersion(session));
      if (version) connections.setDatabaseVersion(version);
    })().catch((error) => {
      this.#init = undefined;
      throw error;
    });
    return this.#init;
  }

  /** Every catalogued solution (ready ones become usable). */
  async records(): Promise<SolutionInfo[]> {
    await this.ready();
    const records = await this.#parts.catalogue.list();
    for (const r of records) if (r.state === 'ready' && !r.move) this.#use(r);
    return records;
  }

  /** One solution's catalogue entry, or undefined. */
  async get(solution: string): Promise<SolutionInfo | undefined> {
    await this.ready();
    return this.#parts.catalogue.get(solution);
  }

  /** `solution` (a validated name) when it is ready; else an `UnknownSolutionError` saying how to create or finish it. */
  async known(solution: string): Promise<string> {
    if (this.#usable.has(solution)) return solution;
    const record = await this.get(solution);
    if (record?.state !== 'ready') {
      const how = `\`fbs-solutions create ${solution}\` (API: create('${solution}'))`;
      throw new UnknownSolutionError(solution, record ? `its creation was interrupted (state '${record.state}'); finish it with ${how}.` : `it is not in the catalogue. Create it with ${how}.`);
    }
    this.#use(record);
    return solution;
  }

  /** Marks a solution ready (or not) for `withSolution`, e.g. after `create` or `drop`. */
  usable(solution: string, ready: boolean): void {
    if (ready) this.#usable.add(solution);
    else this.#usable.delete(solution);
  }

  /** Re-reads a solution's entry and points its aliases at its servers: `'moved'` when they differ from `used`. */
  async recheck(solution: string, used: Readonly<Record<string, string>> | undefined): Promise<PlacementCheck> {
    const { catalogue, connections, naming, project } = this.#parts;
    const record = await catalogue.get(solution);
    if (!record || record.state !== 'ready') return 'unchanged';
    const differs = (placement: Readonly<Record<string, string>> | undefined) => !placement || naming.kinds.some((k) => placement[k] !== record.servers[k]);
    if (differs(connections.placement(solution))) for (const database of Object.values(record.databases)) await project.removeDatabase(database);
    this.#use(record);
    return differs(used) ? 'moved' : record.move ? 'moving' : 'unchanged';
  }

  /** Where the databases of a known solution are (kind → server) as this process uses them. */
  placement(solution: string): Readonly<Record<string, string>> | undefined {
    return this.#parts.connections.placement(solution);
  }

  #use(record: SolutionInfo): void {
    this.#usable.add(record.name);
    // A move under way (journal before its switch) still serves from the source: the recorded servers.
    this.#parts.connections.know(record.name, record.servers);
  }
}
