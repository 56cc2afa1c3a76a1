import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ConsistencySession } from './consistency-session';
import { ConfigurationError, DatabaseUnavailableError, connectionFailureKind } from './errors';
import { ReplicaMonitor, type HealthTiming } from './replica-health';
import { ReplicaSelector, type ReplicaHealth, type ReplicaState } from './replica-selector';
import type { ReplicaTopology } from './replica-topology';
import type { RoutingScope } from './routing-scope';
import { rootTransaction } from './sequelize-internals';
import { formatWalPosition, parseWalPosition, type WalPosition } from './wal-position';

/** What replication needs from its project. */
export interface ReplicationHost {
  readonly scope: RoutingScope;
  topology(alias: string): ReplicaTopology | undefined;
  /** The live Sequelize of an alias (primary or replica). */
  live(alias: string): Sequelize;
}

/** Health and lag of one replica, as `project.replicaStatus()` reports it. */
export interface ReplicaStatus {
  /** `default@replica1` */
  readonly alias: string;
  /** `default` */
  readonly primary: string;
  readonly health: ReplicaHealth;
  /** Replay lag behind the primary in ms (undefined until checked). */
  readonly lagMs: number | undefined;
  /** `pg_last_wal_replay_lsn()` at the last check. */
  readonly replayLsn: string | undefined;
  /** Why it is down or skipped. */
  readonly error: string | undefined;
  readonly checkedAt: Date | undefined;
  /** When a down replica is tried again. */
  readonly retryAt: Date | undefined;
}

interface ReplicaSet {
  readonly selector: ReplicaSelector;
  readonly monitor: ReplicaMonitor;
  readonly reads: boolean;
}

const SELECT = 'SELECT';
const WRITE_TYPES = new Set(['INSERT', 'UPDATE', 'BULKUPDATE', 'BULKDELETE', 'DELETE', 'UPSERT', 'RAW']);
const LSN_SQL = 'SELECT pg_current_wal_lsn()::text AS lsn';
const ONE_ROW = { type: SELECT, plain: true, raw: true, useMaster: true, transaction: null, logging: false } as const;
const DEFAULT_TIMING = { pollMs: 200, backoffMs: 500, maxBackoffMs: 10_000, catchUpMs: 5 };

/**
 * Read replicas of the project's databases: where a routed statement runs, the write marks of each
 * context, the health checks and the causality tokens. The decision itself is {@link ReplicaSelector}.
 */
export class Replication {
  readonly #host: ReplicationHost;
  readonly #sets = new Map<string, ReplicaSet | null>();
  readonly #tracked = new WeakSet<Transaction>();
  readonly #timing: Partial<HealthTiming>;

  constructor(host: ReplicationHost, timing: Partial<HealthTiming> = {}) {
    this.#host = host;
    this.#timing = timing;
  }

  /** Whether a statement of this type (and options) may run on a replica: a plain SELECT without lock or `useMaster`. */
  static isReplicaRead(options: any): boolean {
    return options != null && options.type === SELECT && !options.lock && !options.useMaster;
  }

  /** Whether a statement of this type changes data (RAW counts: it may). */
  static isWrite(options: any): boolean {
    return options == null || options.type === undefined || WRITE_TYPES.has(options.type);
  }

  /** Whether `alias` has replicas (the routed Sequelize asks this once, when it is created). */
  has(alias: string): boolean {
    return this.#host.topology(alias) !== undefined;
  }

  /**
   * The decision for a routed read of primary `alias` outside any transaction, now: the replica it
   * goes to, or undefined for the primary (no replicas, `replicaReads: false`, a pin, `hints.replica
   * === false`, or no healthy replica that has replayed this context's writes).
   */
  choose(alias: string): ReplicaState | undefined {
    const set = this.#set(alias);
    if (set === undefined || !set.reads) return undefined;
    const scope = this.#host.scope.state();
    if (scope.pinned || scope.hints.replica === false) return undefined;
    return set.selector.pick(scope.session.marks.get(alias));
  }

  /** Runs a routed read of primary `alias` outside any transaction where {@link choose} says; `onPrimary` runs it on the primary. */
  read<T>(alias: string, sql: unknown, options: any, onPrimary: () => Promise<T>): Promise<T> {
    const state = this.choose(alias);
    return state === undefined ? onPrimary() : this.#onReplica(alias, state, sql, options, onPrimary);
  }

  /** Runs a write outside a transaction on primary `alias`, then raises the context's mark to the primary's WAL position. */
  async write<T>(alias: string, run: () => Promise<T>): Promise<T> {
    if (this.#set(alias) === undefined) return run();
    const session = this.#host.scope.state().session;
    const mark = session.begin(alias);
    let lsn: WalPosition | undefined;
    try {
      const result = await run();
      lsn = await this.#currentPosition(alias);
      return result;
    } finally {
      session.settle(mark, lsn);
    }
  }

  /** Notes a write inside `transaction` on primary `alias`: its commit raises the mark of the context that wrote. */
  inTransaction(alias: string, transaction: Transaction): void {
    if (this.#set(alias) === undefined) return;
    const root = rootTransaction(transaction);
    if (this.#tracked.has(root)) return;
    this.#tracked.add(root);
    const session = this.#host.scope.state().session;
    root.afterCommit(async () => {
      const mark = session.begin(alias);
      session.settle(mark, await this.#currentPosition(alias));
    });
  }

  /** The current context's session (for pins, tokens). */
  session(): ConsistencySession {
    return this.#host.scope.state().session;
  }

  /** Checks every replica of every configured alias now and reports them. */
  async status(aliases: readonly string[]): Promise<ReplicaStatus[]> {
    const out: ReplicaStatus[] = [];
    for (const alias of aliases) {
      const set = this.#set(alias);
      if (set === undefined) continue;
      for (const state of set.selector.states) state.retryAt = 0;
      await set.monitor.refresh();
      for (const s of set.selector.states) {
        out.push({
          alias: s.alias,
          primary: alias,
          health: s.health,
          lagMs: s.lagMs,
          replayLsn: s.checkedAt === 0 || s.replayed === 0 ? undefined : formatWalPosition(s.replayed),
          error: s.error,
          checkedAt: s.checkedAt === 0 ? undefined : new Date(s.checkedAt),
          retryAt: s.health === 'down' ? new Date(s.retryAt) : undefined,
        });
      }
    }
    return out;
  }

  /** Stops the health checks of `alias` (its pool closed), or of every alias. */
  forget(alias?: string): void {
    for (const [name, set] of this.#sets) {
      if (alias !== undefined && name !== alias) continue;
      set?.monitor.stop();
      this.#sets.delete(name);
    }
  }

  #set(alias: string): ReplicaSet | undefined {
    let set = this.#sets.get(alias);
    if (set === undefined) {
      const topology = this.#host.topology(alias);
      set = topology === undefined ? null : this.#open(alias, topology);
      this.#sets.set(alias, set);
    }
    return set ?? undefined;
  }

  #open(alias: string, topology: ReplicaTopology): ReplicaSet {
    const selector = new ReplicaSelector([...topology.replicas.keys()], topology.maxLagMs);
    const monitor = new ReplicaMonitor(
      selector,
      {
        primary: (sql) => this.#host.live(alias).query(sql, ONE_ROW as any) as Promise<any>,
        replica: (name, sql) => this.#host.live(name).query(sql, ONE_ROW as any) as Promise<any>,
      },
      { ...DEFAULT_TIMING, ...this.#timing, maxLagMs: topology.maxLagMs },
    );
    monitor.start();
    return { selector, monitor, reads: topology.replicaReads };
  }

  /** Runs the read on `first`; a replica that fails it is marked down and the read moves to another eligible one, else the primary. */
  async #onReplica<T>(alias: string, first: ReplicaState, sql: unknown, options: any, onPrimary: () => Promise<T>): Promise<T> {
    const set = this.#set(alias)!;
    const mark = this.#host.scope.state().session.marks.get(alias);
    let state: ReplicaState | undefined = first;
    while (state !== undefined) {
      try {
        return (await this.#host.live(state.alias).query(sql as string, { ...options, transaction: null })) as T;
      } catch (error) {
        if (error instanceof DatabaseUnavailableError || connectionFailureKind(error) !== undefined) set.monitor.markDown(state, error);
        else if (!isRecoveryConflict(error)) throw error;
        state = set.selector.pick(mark, state);
      }
    }
    return onPrimary();
  }

  async #currentPosition(alias: string): Promise<WalPosition | undefined> {
    try {
      const row = (await this.#host.live(alias).query(LSN_SQL, ONE_ROW as any)) as unknown as { lsn: string };
      return parseWalPosition(row.lsn);
    } catch {
      return undefined; // unknown: the time window keeps this context's reads on the primary
    }
  }
}

/** A standby cancelled the query because replay needed its rows (SQLSTATE 40001 on a standby): the primary answers it. */
function isRecoveryConflict(error: unknown): boolean {
  const e = error as { parent?: { code?: string }; original?: { code?: string } } | undefined;
  return (e?.parent?.code ?? e?.original?.code) === '40001';
}

/** Refuses a write routed to a replica alias. */
export function replicaWriteError(replica: string, primary: string): ConfigurationError {
  return new ConfigurationError(`'${replica}' is a read replica of '${primary}': writes go to '${primary}'. Use using('${primary}') (or drop using('${replica}')) for this write.`);
}
