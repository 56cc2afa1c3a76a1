import { ConfigurationError, migrationConfig, type Project } from '@fbs/core';
import type { SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import { OneAtATime } from './one-at-a-time';
import { ConnectionCap, type PoolCapConfig, type PoolCapStats } from './pool-cap';
import { dialectFor, type ServerAdmin } from '@fbs/core/dialect';
import type { SolutionRoles } from './roles';
import { resolveServer, type ResolvedServer, type ServerConfig } from './servers';
import type { TemplateGate } from './template-gate';
import { TemplateStore } from './template-store';

/** One server as the manager uses it: its config, admin connections, template store and pool cap. */
export interface ServerHandle {
  readonly name: string;
  readonly server: ResolvedServer;
  readonly admin: ServerAdmin;
  readonly templates: TemplateStore | undefined;
  readonly cap: ConnectionCap;
  /** No new placements (set by config or `drain()`). */
  draining: boolean;
}

/** What the registry builds handles with. */
export interface RegistryHost {
  readonly project: Project;
  readonly naming: SolutionNaming;
  readonly roles: SolutionRoles | undefined;
  readonly template: string | undefined;
  readonly gate: TemplateGate;
  readonly pool: PoolCapConfig | undefined;
  /** The server a database alias is on right now (undefined: not a solution database). */
  serverOf(alias: string): string | undefined;
  /** Points template aliases at `server` while its templates are migrated. */
  templatesOn(server: string): void;
  migrator(): Promise<SolutionMigrator>;
  refreshed(server: string, kind: string, database: string, fingerprint: string): void;
}

/**
 * The servers solutions live on, by name (config order): added at start from `servers`, or at
 * runtime with {@link add}; {@link drain} stops new placements on one. Template databases exist per
 * server (built there when first needed); their migrations run one server at a time, since the
 * template aliases are the same on every server.
 */
export class ServerRegistry {
  readonly #host: RegistryHost;
  readonly #servers = new Map<string, ServerHandle>();
  readonly #templateRuns = new OneAtATime();

  constructor(host: RegistryHost, servers: readonly ResolvedServer[]) {
    this.#host = host;
    for (const server of servers) this.#add(server);
  }

  /** Server names, in the order they were configured or added. */
  names(): string[] {
    return [...this.#servers.keys()];
  }

  /** Handles of every server. */
  all(): ServerHandle[] {
    return [...this.#servers.values()];
  }

  has(name: string): boolean {
    return this.#servers.has(name);
  }

  /** The handle of server `name`; a `ConfigurationError` naming the known servers otherwise. */
  get(name: string): ServerHandle {
    const handle = this.#servers.get(name);
    if (!handle) throw new ConfigurationError(`Unknown server ${JSON.stringify(name)}: the configured servers are ${this.names().map((n) => `'${n}'`).join(', ')}.`);
    return handle;
  }

  /** Adds a server at runtime (refuses a name or host:port already configured). */
  add(name: string, entry: ServerConfig): ServerHandle {
    if (this.#servers.has(name)) throw new ConfigurationError(`Server '${name}' is already configured; pick another name.`);
    const server = resolveServer(name, entry);
    const where = (s: ResolvedServer) => `${s.config.host ?? 'localhost'}:${s.config.port ?? 5432}`;
    const same = this.all().find((h) => where(h.server) === where(server));
    if (same) throw new ConfigurationError(`Server '${name}' (${where(server)}) is already configured as '${same.name}'.`);
    return this.#add(server);
  }

  /** Sums the caps of every server (`cap` is the sum of their caps). */
  stats(): PoolCapStats {
    const all = this.all().map((h) => h.cap.stats());
    const sum = (key: keyof PoolCapStats) => all.reduce((n, s) => n + s[key], 0);
    return { cap: sum('cap'), open: sum('open'), maxSeen: sum('maxSeen'), waiting: sum('waiting'), evictions: sum('evictions') };
  }

  /** Closes every server's admin connections and cap timers. */
  async close(): Promise<void> {
    for (const handle of this.all()) handle.cap.close();
    await Promise.all(this.all().map((h) => h.admin.close()));
  }

  #add(server: ResolvedServer): ServerHandle {
    const host = this.#host;
    const { name } = server;
    const pool = { ...host.pool, ...(server.maxConnections ? { maxConnections: server.maxConnections } : {}) };
    const cap = new ConnectionCap(host.project.connections, (alias) => (host.serverOf(alias) === name ? host.naming.parse(alias)?.solution : undefined), pool, host.naming.kinds.length);
    // On the server's `migrationUrl` when set: CREATE DATABASE and the admin locks need a direct session, not a transaction pooler.
    const admin = dialectFor(server.config.dialect, `Server '${name}'`).serverAdmin(migrationConfig(`server '${name}'`, server.config), {
      applicationName: 'fbs-solutions', logNamespace: 'fbs:solutions:sql', refusePooler: server.config.migrationUrl === undefined,
    });
    const templates =
      host.template === undefined
        ? undefined
        : new TemplateStore({
            name: host.template,
            admin,
            naming: host.naming,
            // Template aliases are the same on every server: closing one waits for another server's template migration.
            connections: { remove: (alias) => this.#templateRuns.run('templates', () => host.project.connections.remove(alias)) },
            roles: host.roles,
            migrator: () => host.migrator(),
            access: (database, fn) =>
              this.#templateRuns.run('templates', () => {
                host.templatesOn(name);
                return host.gate.access(database, fn);
              }),
            refreshed: (kind, database, fingerprint) => host.refreshed(name, kind, database, fingerprint),
          });
    const handle: ServerHandle = { name, server, admin, templates, cap, draining: server.draining };
    this.#servers.set(name, handle);
    return handle;
  }
}
