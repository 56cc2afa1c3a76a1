import { EventEmitter } from 'node:events';
import type { Sequelize } from 'sequelize-typescript';
import { describeDatabase, normalizeDatabaseConfig, type DatabaseConfig, type NormalizedDatabaseConfig } from './database-config';
import { ConfigurationError, UnknownDatabaseError } from './errors';
import { REPLICA_SEPARATOR, replicaTopology, type ReplicaTopology } from './replica-topology';
import { migrationConfig } from './migration-url';
import { retire } from './routed-sequelize';
import { poolsOf } from './sequelize-internals';

interface Entry {
  readonly config: NormalizedDatabaseConfig;
  readonly address: string;
  /** The primary alias, when this entry is one of its replicas. */
  readonly primary: string | undefined;
  readonly topology: ReplicaTopology | undefined;
  sequelize: Sequelize | undefined;
  /** The migrator's own Sequelize on `migrationUrl` (only when the alias sets one). */
  migration: Sequelize | undefined;
  connecting: Promise<Sequelize> | undefined;
  tick: number;
}

/** Builds the Sequelize instance of an alias the first time it is used. */
export type SequelizeFactory = (alias: string, config: NormalizedDatabaseConfig, address: string) => Sequelize;

/** Looks up the config of an alias that is not configured yet (e.g. a solution database), or returns undefined. */
export type AliasResolver = (alias: string) => DatabaseConfig | undefined;

/** Events of {@link ConnectionManager}. */
export interface ConnectionEvents {
  /** A Sequelize instance (and its pool) was created for `alias`. Emitted before its first query. */
  open: [alias: string, sequelize: Sequelize];
  /** The pool of `alias` was closed (evicted, removed, or the manager closed). */
  close: [alias: string];
}

/**
 * Database aliases and their connections, Django's `ConnectionHandler`: each alias's Sequelize (and
 * pool) is created on first use and cached; aliases can be added and removed at runtime; closing
 * touches only what was opened, and is idempotent.
 */
export class ConnectionManager extends EventEmitter<ConnectionEvents> {
  readonly #entries = new Map<string, Entry>();
  readonly #factory: SequelizeFactory;
  readonly #resolvers: AliasResolver[] = [];
  #clock = 0;

  constructor(configs: Readonly<Record<string, DatabaseConfig>>, factory: SequelizeFactory) {
    super();
    if (!configs || typeof configs !== 'object') {
      throw new ConfigurationError('`databases` must be an object of alias → config, e.g. { default: "postgres://localhost/app" }.');
    }
    this.#factory = factory;
    for (const [alias, config] of Object.entries(configs)) this.add(alias, config);
  }

  /** Configured aliases (resolvable ones appear once resolved). Replicas are not listed: see {@link replicasOf}. */
  aliases(): string[] {
    return [...this.#entries].filter(([, e]) => e.primary === undefined).map(([alias]) => alias);
  }

  /** The replica aliases of `alias` (`alias@replica1`, …), empty when it has none. */
  replicasOf(alias: string): string[] {
    return [...(this.#entries.get(alias)?.topology?.replicas.keys() ?? [])];
  }

  /** The primary of a replica alias, or undefined when `alias` is not a replica. */
  primaryOf(alias: string): string | undefined {
    return this.#entries.get(alias)?.primary;
  }

  /** The replica settings of `alias` (undefined when it has no replicas). */
  topology(alias: string): ReplicaTopology | undefined {
    return this.#entries.get(alias)?.topology;
  }

  /** Whether `alias` is configured, or can be resolved by the resolver. */
  has(alias: string): boolean {
    return this.#entries.has(alias) || this.#replicaOfResolved(alias) !== undefined || this.#resolve(alias) !== undefined;
  }

  /** Adds a database alias. Adding an alias that exists is an error unless `replace` is set. */
  add(alias: string, config: DatabaseConfig, options: { replace?: boolean } = {}): void {
    if (typeof alias !== 'string' || alias === '') throw new ConfigurationError(`A database alias must be a non-empty string, got ${JSON.stringify(alias)}.`);
    const existing = this.#entries.get(alias);
    if (existing && !options.replace) {
      throw new ConfigurationError(`Database alias '${alias}' is already configured (${existing.address}). Pass { replace: true } to replace it, or remove it first.`);
    }
    const normalized = normalizeDatabaseConfig(alias, config);
    const topology = replicaTopology(alias, config);
    if (topology !== undefined && normalized.dialect !== 'postgres') {
      throw new ConfigurationError(`Database '${alias}': replicas need PostgreSQL streaming replication (WAL positions); dialect '${normalized.dialect}' has none. Remove \`replicas\`.`);
    }
    const replicas = [...(topology?.replicas ?? [])].map(([name, c]) => [name, normalizeDatabaseConfig(name, c)] as const);
    if (existing) this.#drop(alias, existing);
    this.#entries.set(alias, { config: normalized, address: describeDatabase(normalized), primary: undefined, topology, sequelize: undefined, migration: undefined, connecting: undefined, tick: 0 });
    for (const [name, c] of replicas) {
      this.#entries.set(name, { config: c, address: describeDatabase(c), primary: alias, topology: undefined, sequelize: undefined, migration: undefined, connecting: undefined, tick: 0 });
    }
  }

  /** Closes and forgets an alias. Removing an unknown alias does nothing. */
  async remove(alias: string): Promise<void> {
    const entry = this.#entries.get(alias);
    if (!entry) return;
    await Promise.all(this.#drop(alias, entry));
  }

  /** Forgets `alias` and its replicas, closing their pools. */
  #drop(alias: string, entry: Entry): Promise<void>[] {
    const closing = [alias, ...(entry.topology?.replicas.keys() ?? [])].map((name) => {
      const e = this.#entries.get(name)!;
      this.#entries.delete(name);
      return this.#closeEntry(name, e);
    });
    for (const p of closing) p.catch(() => undefined);
    return closing;
  }

  /**
   * Adds a function that supplies configs for aliases not configured yet (e.g. solution databases).
   * Resolvers are asked in the order they were added; the first config wins. Returns a function
   * that removes this resolver.
   */
  addResolver(resolver: AliasResolver): () => void {
    if (typeof resolver !== 'function') throw new ConfigurationError(`addResolver() needs a function (alias) => config | undefined, got ${typeof resolver}.`);
    this.#resolvers.push(resolver);
    return () => {
      const index = this.#resolvers.indexOf(resolver);
      if (index >= 0) this.#resolvers.splice(index, 1);
    };
  }

  /** The normalized config of `alias` (contains the password: never log it). */
  config(alias: string): NormalizedDatabaseConfig {
    return this.#entry(alias).config;
  }

  /** `dialect://user@host:port/database` of `alias`, without the password. */
  describe(alias: string): string {
    return this.#entry(alias).address;
  }

  /** The Sequelize of `alias`, created on first use. */
  get(alias: string): Sequelize {
    const entry = this.#entry(alias);
    entry.tick = ++this.#clock;
    if (entry.sequelize === undefined) {
      entry.sequelize = this.#factory(alias, entry.config, entry.address);
      this.emit('open', alias, entry.sequelize);
    }
    return entry.sequelize;
  }

  /**
   * The Sequelize the migrator uses for `alias`: the alias's own, or — when its config sets
   * `migrationUrl` (a direct URL beside a transaction-pooling PgBouncer) — one of its own on that
   * URL, created on first use and closed with the alias. It is not announced by the `open` event
   * (the solutions pool cap governs the pooled connections the application uses).
   *
   * @example
   * ```ts
   * await project.connections.migrationConnection('default').query('SELECT 1');
   * ```
   */
  migrationConnection(alias: string): Sequelize {
    const entry = this.#entry(alias);
    if (entry.config.migrationUrl === undefined) return this.get(alias);
    entry.tick = ++this.#clock;
    if (entry.migration === undefined) {
      const config = migrationConfig(alias, entry.config);
      entry.migration = this.#factory(alias, config, describeDatabase(config));
    }
    return entry.migration;
  }

  /** Whether the migrator's own pool of `alias` (on `migrationUrl`) is open. */
  isMigrationOpen(alias: string): boolean {
    return this.#entries.get(alias)?.migration !== undefined;
  }

  /**
   * Closes the migrator's own pool of `alias` (on `migrationUrl`), keeping the alias's pool. It is
   * not retired: a query that still reaches it fails instead of going through the pooler.
   */
  async closeMigration(alias: string): Promise<void> {
    const entry = this.#entries.get(alias);
    if (entry) await this.#closeMigration(entry);
  }

  async #closeMigration(entry: Entry): Promise<void> {
    const migration = entry.migration;
    if (migration === undefined) return;
    entry.migration = undefined;
    await migration.close();
  }

  /** `dialect://user@host:port/database` of the connection the migrator uses for `alias` (its `migrationUrl` when set), without the password. */
  describeMigration(alias: string): string {
    const entry = this.#entry(alias);
    return entry.config.migrationUrl === undefined ? entry.address : describeDatabase(migrationConfig(alias, entry.config));
  }

  /** Opens `alias` and checks that the database answers. Concurrent callers share one attempt; a failure is not cached. */
  connect(alias: string): Promise<Sequelize> {
    const entry = this.#entry(alias);
    if (entry.connecting) return entry.connecting;
    const sequelize = this.get(alias);
    const attempt = sequelize.authenticate().then(
      () => sequelize,
      (error: unknown) => {
        if (entry.connecting === attempt) entry.connecting = undefined;
        throw error;
      },
    );
    entry.connecting = attempt;
    return attempt;
  }

  /** Whether the pool of `alias` is open. */
  isOpen(alias: string): boolean {
    const entry = this.#entries.get(alias);
    return entry !== undefined && (entry.sequelize !== undefined || entry.migration !== undefined);
  }

  /** Aliases whose pools are open, least recently used first. */
  openAliases(): string[] {
    return [...this.#entries]
      .filter(([, e]) => e.sequelize !== undefined || e.migration !== undefined)
      .sort(([, a], [, b]) => a.tick - b.tick)
      .map(([alias]) => alias);
  }

  /** Physical connections open in the pool of `alias` (0 when closed). */
  connectionCount(alias: string): number {
    const entry = this.#entries.get(alias);
    return [entry?.sequelize, entry?.migration].flatMap((s) => poolsOf(s)).reduce((n, p) => n + p.size, 0);
  }

  /** Whether the pool of `alias` has no query, transaction or connection request in flight. */
  isIdle(alias: string): boolean {
    const entry = this.#entries.get(alias);
    return [entry?.sequelize, entry?.migration].flatMap((s) => poolsOf(s)).every((p) => p.using === 0 && p.waiting === 0);
  }

  /**
   * Closes the pool of `alias` but keeps the alias: the next use reopens it. A query that still
   * reaches the old instance is forwarded to the new one. Close only idle pools (see `isIdle`).
   */
  async closeOne(alias: string): Promise<void> {
    const entry = this.#entries.get(alias);
    if (entry) await this.#closeEntry(alias, entry);
  }

  /** Closes every open pool. Idempotent; aliases stay configured and reopen on next use. */
  async close(): Promise<void> {
    await Promise.all([...this.#entries].map(([alias, entry]) => this.#closeEntry(alias, entry)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #entry(alias: string): Entry {
    const entry = this.#entries.get(alias) ?? this.#replicaOfResolved(alias);
    if (entry) return entry;
    const resolved = this.#resolve(alias);
    if (resolved !== undefined) {
      this.add(alias, resolved);
      return this.#entries.get(alias)!;
    }
    throw new UnknownDatabaseError(alias, this.aliases());
  }

  /** `name@replicaN` of a primary not resolved yet: resolves the primary, which brings its replicas. */
  #replicaOfResolved(alias: string): Entry | undefined {
    const at = typeof alias === 'string' ? alias.lastIndexOf(REPLICA_SEPARATOR) : -1;
    if (at <= 0) return undefined;
    const primary = alias.slice(0, at);
    if (this.#entries.has(primary)) return undefined;
    const resolved = this.#resolve(primary);
    if (resolved === undefined) return undefined;
    this.add(primary, resolved);
    return this.#entries.get(alias);
  }

  #resolve(alias: string): DatabaseConfig | undefined {
    if (typeof alias !== 'string') return undefined;
    for (const resolver of this.#resolvers) {
      const config = resolver(alias);
      if (config !== undefined) return config;
    }
    return undefined;
  }

  async #closeEntry(alias: string, entry: Entry): Promise<void> {
    await this.#closeMigration(entry);
    const { sequelize } = entry;
    if (sequelize === undefined) return;
    entry.sequelize = undefined;
    entry.connecting = undefined;
    retire(sequelize);
    await sequelize.close();
    this.emit('close', alias);
  }
}
