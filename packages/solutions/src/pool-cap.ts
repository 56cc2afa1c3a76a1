import { ConfigurationError } from '@fbs/core';
import createDebug from 'debug';
import type { ConnectionManager } from '@fbs/core';
import type { Sequelize } from 'sequelize-typescript';
import { PoolCapTimeoutError } from './errors';
import { instrumentPool, type PoolState } from './pool-instrument';

const log = createDebug('fbs:solutions:pool');

/** The pool cap of solution databases (part of `SolutionsConfig`). */
export interface PoolCapConfig {
  /** Total physical connections across all solution pools. Default 20. */
  readonly maxConnections?: number;
  /** Connections one solution database may hold (its pool's `max`). Default 2. */
  readonly perSolution?: number;
  /** A solution pool unused this long (ms) is closed, connections and Sequelize instance. Default 10 000. */
  readonly idleMs?: number;
  /** How long a connection may wait for a slot under the cap before failing (ms). Default 30 000. */
  readonly acquireTimeoutMs?: number;
}

/** What the cap has seen (for dashboards and benchmarks). */
export interface PoolCapStats {
  readonly cap: number;
  /** Physical connections open now across solution pools. */
  readonly open: number;
  /** The most ever open at once. */
  readonly maxSeen: number;
  /** Connection requests waiting for a slot. */
  readonly waiting: number;
  /** Pools closed to make room or because they were idle. */
  readonly evictions: number;
}

interface Waiter {
  readonly alias: string;
  readonly grant: () => void;
}

/**
 * Holds the physical connections of every solution pool under one cap. A pool that needs a
 * connection when the cap is reached closes the least recently used idle solution pool (nothing in
 * flight) and takes its slot, or waits for one. Pools unused for `idleMs` are closed. A closed pool
 * reopens on next use; eviction never touches a pool with a query or transaction in flight.
 */
export class ConnectionCap {
  readonly config: Readonly<Required<PoolCapConfig>>;
  readonly #connections: ConnectionManager;
  readonly #isSolution: (alias: string) => boolean;
  readonly #states = new Map<string, PoolState>();
  readonly #waiters: Waiter[] = [];
  #held = 0;
  #maxSeen = 0;
  #pendingFree = 0;
  #evictions = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #onOpen = (alias: string, sequelize: Sequelize) => {
    if (this.#isSolution(alias)) this.#states.set(alias, instrumentPool(sequelize, alias, this));
  };
  readonly #onClose = (alias: string) => {
    if (!this.#connections.isOpen(alias)) this.#states.delete(alias);
  };

  constructor(connections: ConnectionManager, isSolution: (alias: string) => boolean, config: PoolCapConfig = {}) {
    this.config = Object.freeze({ maxConnections: 20, perSolution: 2, idleMs: 10_000, acquireTimeoutMs: 30_000, ...config });
    for (const key of ['maxConnections', 'perSolution', 'idleMs', 'acquireTimeoutMs'] as const) {
      const value = this.config[key];
      if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`pool.${key} must be a positive integer, got ${JSON.stringify(value)}.`);
    }
    this.#connections = connections;
    this.#isSolution = isSolution;
    connections.on('open', this.#onOpen);
    connections.on('close', this.#onClose);
    this.#timer = setInterval(() => this.sweep(), Math.max(100, Math.floor(this.config.idleMs / 2)));
    this.#timer.unref();
  }

  stats(): PoolCapStats {
    return { cap: this.config.maxConnections, open: this.#held, maxSeen: this.#maxSeen, waiting: this.#waiters.length, evictions: this.#evictions };
  }

  /** Resets `maxSeen` to the current count (benchmarks measure from a point). */
  resetMaxSeen(): void {
    this.#maxSeen = this.#held;
  }

  /** Takes a slot for a new physical connection of `alias`, evicting idle pools or waiting when the cap is reached. */
  acquire(alias: string): Promise<void> {
    if (this.#held < this.config.maxConnections && this.#waiters.length === 0) {
      this.#take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new PoolCapTimeoutError(alias, this.config.maxConnections, Date.now() - started));
      }, this.config.acquireTimeoutMs);
      const waiter: Waiter = {
        alias,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      this.pump();
    });
  }

  /** Gives back the slot of a closed (or never opened) connection. */
  release(state: PoolState): void {
    this.#held--;
    if (state.evicting && this.#pendingFree > 0) this.#pendingFree--;
    this.pump();
  }

  /** Serves waiters from free slots, and evicts idle pools for the ones left. */
  pump(): void {
    while (this.#waiters.length > 0 && this.#held < this.config.maxConnections) {
      this.#take();
      this.#waiters.shift()!.grant();
    }
    let deficit = this.#waiters.length - this.#pendingFree;
    if (deficit <= 0) return;
    const asking = new Set(this.#waiters.map((w) => w.alias));
    for (const alias of this.#connections.openAliases()) {
      if (deficit <= 0) break;
      const state = this.#states.get(alias);
      if (!state || asking.has(alias) || !this.#evictable(alias, state)) continue;
      const count = this.#connections.connectionCount(alias);
      if (count === 0) continue;
      this.#evict(alias, state, 'cap');
      this.#pendingFree += count;
      deficit -= count;
    }
  }

  /** Closes solution pools unused for `idleMs` (runs on a timer; callable directly). */
  sweep(): void {
    const now = Date.now();
    for (const [alias, state] of this.#states) {
      if (now - state.lastUsed >= this.config.idleMs && this.#evictable(alias, state)) this.#evict(alias, state, 'idle');
    }
  }

  /** Stops the idle timer and detaches from the connection manager. Idempotent. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#connections.off('open', this.#onOpen);
    this.#connections.off('close', this.#onClose);
  }

  #take(): void {
    this.#held++;
    if (this.#held > this.#maxSeen) this.#maxSeen = this.#held;
  }

  #evictable(alias: string, state: PoolState): boolean {
    return !state.evicting && state.inflight === 0 && this.#connections.isIdle(alias);
  }

  #evict(alias: string, state: PoolState, why: 'cap' | 'idle'): void {
    state.evicting = true;
    this.#evictions++;
    log('closing %s pool of %s', why === 'cap' ? 'least recently used' : 'idle', alias);
    this.#connections.closeOne(alias).catch((error: Error) => log('closing %s failed: %s', alias, error.message));
  }
}
