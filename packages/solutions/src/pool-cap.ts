import createDebug from 'debug';
import type { ConnectionManager } from '@fbs/core';
import type { Sequelize } from 'sequelize-typescript';
import { PoolCapTimeoutError } from './errors';
import { resolvePoolCap, type PoolCapConfig } from './pool-cap-config';
import { instrumentPool, type PoolState } from './pool-instrument';

export type { PoolCapConfig } from './pool-cap-config';

const log = createDebug('fbs:solutions:pool');

/** What the cap has seen (for dashboards and benchmarks). */
export interface PoolCapStats {
  readonly cap: number;
  /** Physical connections open now across solution pools (counted until their socket is closed). */
  readonly open: number;
  /** The most ever open at once. */
  readonly maxSeen: number;
  /** Connection requests waiting for a slot. */
  readonly waiting: number;
  /** Pools closed to make room or because they were idle. */
  readonly evictions: number;
}

interface Waiter {
  readonly state: PoolState;
  readonly grant: () => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Holds the physical connections of every solution pool under one cap, without deadlock:
 * - a slot is granted only if every solution holding connections could still get all it may need
 *   (`perSolution` × its databases) in some order — the banker's algorithm — so a solution's
 *   transaction that already holds its first database always gets its second one eventually;
 *   solutions with work in flight are served first, then newcomers;
 * - waiters queue per solution and are served round-robin, so one tenant's burst cannot starve
 *   the others;
 * - when the cap is reached, the least recently used idle solution pool (nothing in flight) is
 *   closed and its slots go to the waiters; pools unused for `idleMs` are closed too. A closed pool
 *   reopens on next use; eviction never touches a pool with a query or transaction in flight;
 * - a slot is freed only once its connection's socket is closed (the backend has exited).
 */
export class ConnectionCap {
  readonly config: Readonly<Required<PoolCapConfig>>;
  /** How long a closing connection may wait for a query still running on it (ms). */
  readonly drainMs: number;
  readonly #claim: number;
  readonly #connections: ConnectionManager;
  readonly #solutionOf: (alias: string) => string | undefined;
  readonly #states = new Map<string, PoolState>();
  readonly #holding = new Set<PoolState>();
  readonly #queues = new Map<string, Waiter[]>();
  #waiting = 0;
  #held = 0;
  #maxSeen = 0;
  #pendingFree = 0;
  #evictions = 0;
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  readonly #onOpen = (alias: string, sequelize: Sequelize) => {
    const solution = this.#solutionOf(alias);
    if (solution !== undefined) this.#states.set(alias, instrumentPool(sequelize, alias, solution, this));
  };
  readonly #onClose = (alias: string) => {
    if (!this.#connections.isOpen(alias)) this.#states.delete(alias);
    this.pump();
  };

  /**
   * @param solutionOf the solution a database alias belongs to (undefined: not under the cap)
   * @param kinds how many databases each solution has
   */
  constructor(connections: ConnectionManager, solutionOf: (alias: string) => string | undefined, config: PoolCapConfig = {}, kinds = 1) {
    this.config = resolvePoolCap(config, kinds);
    this.#claim = this.config.perSolution * kinds;
    this.drainMs = this.config.acquireTimeoutMs;
    this.#connections = connections;
    this.#solutionOf = solutionOf;
    connections.on('open', this.#onOpen);
    connections.on('close', this.#onClose);
    this.#timer = setInterval(() => this.sweep(), Math.max(100, Math.floor(this.config.idleMs / 2)));
    this.#timer.unref();
  }

  stats(): PoolCapStats {
    return { cap: this.config.maxConnections, open: this.#held, maxSeen: this.#maxSeen, waiting: this.#waiting, evictions: this.#evictions };
  }

  /** Resets `maxSeen` to the current count (benchmarks measure from a point). */
  resetMaxSeen(): void {
    this.#maxSeen = this.#held;
  }

  /** Takes a slot for a new physical connection of a pool, evicting idle pools or waiting when none may be granted now. */
  acquire(state: PoolState): Promise<void> {
    if (this.#held < this.config.maxConnections && this.#waiting === 0 && this.#safe(state.solution, this.#busy())) {
      this.#take(state);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setTimeout(() => {
        const queue = this.#queues.get(state.solution);
        const index = queue ? queue.indexOf(waiter) : -1;
        if (index >= 0) {
          queue!.splice(index, 1);
          if (queue!.length === 0) this.#queues.delete(state.solution);
          this.#waiting--;
        }
        reject(new PoolCapTimeoutError(state.alias, this.config.maxConnections, Date.now() - started));
      }, this.config.acquireTimeoutMs);
      const waiter: Waiter = { state, timer, grant: resolve };
      const queue = this.#queues.get(state.solution);
      if (queue) queue.push(waiter);
      else this.#queues.set(state.solution, [waiter]);
      this.#waiting++;
      this.pump();
    });
  }

  /** Whether the live pool of this instance has no query, transaction or connection request in flight. */
  isIdle(state: PoolState): boolean {
    return this.#connections.isIdle(state.alias);
  }

  /** Gives back the slot of a connection whose socket is closed. */
  release(state: PoolState): void {
    this.#held--;
    state.slots--;
    if (state.slots <= 0) this.#holding.delete(state);
    if (state.evicting && this.#pendingFree > 0) this.#pendingFree--;
    this.pump();
  }

  /** Serves waiters from free slots (holders first, round-robin), and evicts idle pools for the ones left. */
  pump(): void {
    while (this.#waiting > 0 && this.#held < this.config.maxConnections) {
      const waiter = this.#next();
      if (!waiter) break;
      clearTimeout(waiter.timer);
      this.#take(waiter.state);
      waiter.grant();
    }
    this.#keepPolling();
    if (this.#held < this.config.maxConnections) return;
    let deficit = this.#waiting - this.#pendingFree;
    for (const alias of this.#connections.openAliases()) {
      if (deficit <= 0) break;
      const state = this.#states.get(alias);
      if (!state || state.slots === 0 || !this.#evictable(state)) continue;
      deficit -= state.slots;
      this.#evict(state, 'cap');
    }
  }

  /** Closes solution pools unused for `idleMs` (runs on a timer; callable directly). */
  sweep(): void {
    const now = Date.now();
    for (const state of this.#states.values()) {
      if (now - state.lastUsed >= this.config.idleMs && this.#evictable(state)) this.#evict(state, 'idle');
    }
  }

  /** Stops the timers and detaches from the connection manager. Idempotent. */
  close(): void {
    clearInterval(this.#timer);
    clearInterval(this.#poll);
    this.#timer = this.#poll = undefined;
    this.#connections.off('open', this.#onOpen);
    this.#connections.off('close', this.#onClose);
  }

  /** The first waiter that may be served safely: solutions with work in flight first, each class round-robin. */
  #next(): Waiter | undefined {
    const busy = this.#busy();
    for (const holders of [true, false]) {
      for (const [solution, queue] of this.#queues) {
        if ((busy.get(solution) ?? 0) > 0 !== holders || !this.#safe(solution, busy)) continue;
        const waiter = queue.shift()!;
        this.#queues.delete(solution);
        if (queue.length > 0) this.#queues.set(solution, queue); // to the back of the round
        this.#waiting--;
        return waiter;
      }
    }
    return undefined;
  }

  /** Slots held by pools with work in flight, per solution (slots of idle or closing pools can be reclaimed). */
  #busy(): Map<string, number> {
    const busy = new Map<string, number>();
    for (const state of this.#holding) {
      const live = this.#states.get(state.alias) === state;
      const working = state.tickets.length > 0 || state.outside > 0 || state.inflight > 0 || (live && !state.evicting && !this.#connections.isIdle(state.alias));
      if (working) busy.set(state.solution, (busy.get(state.solution) ?? 0) + state.slots);
    }
    return busy;
  }

  /** Banker's check: after one more slot for `solution`, can every busy solution still get its full claim in some order? */
  #safe(solution: string, busy: ReadonlyMap<string, number>): boolean {
    const holds = new Map(busy);
    holds.set(solution, (holds.get(solution) ?? 0) + 1);
    let available = this.config.maxConnections;
    for (const held of holds.values()) available -= held;
    const order = [...holds.values()].map((held) => ({ held, need: Math.max(0, this.#claim - held) })).sort((a, b) => a.need - b.need);
    for (const { held, need } of order) {
      if (need > available) return false;
      available += held;
    }
    return true;
  }

  /** While someone waits, re-checks now and then (a pool turning idle has no event of its own). */
  #keepPolling(): void {
    if (this.#waiting > 0 && !this.#poll) {
      this.#poll = setInterval(() => this.pump(), 25);
      this.#poll.unref();
    } else if (this.#waiting === 0 && this.#poll) {
      clearInterval(this.#poll);
      this.#poll = undefined;
    }
  }

  #take(state: PoolState): void {
    this.#held++;
    state.slots++;
    this.#holding.add(state);
    if (this.#held > this.#maxSeen) this.#maxSeen = this.#held;
  }

  #evictable(state: PoolState): boolean {
    return (
      !state.evicting && state.inflight === 0 && state.tickets.length === 0 && state.outside === 0 && this.#states.get(state.alias) === state && this.#connections.isIdle(state.alias)
    );
  }

  #evict(state: PoolState, why: 'cap' | 'idle'): void {
    state.evicting = true;
    this.#evictions++;
    this.#pendingFree += state.slots;
    log('closing %s pool of %s', why === 'cap' ? 'least recently used' : 'idle', state.alias);
    this.#connections.closeOne(state.alias).catch((error: Error) => log('closing %s failed: %s', state.alias, error.message));
  }
}
