import { Socket } from 'node:net';
import type { Sequelize } from 'sequelize-typescript';

/** What the cap tracks about one Sequelize instance of a solution database. */
export interface PoolState {
  readonly alias: string;
  /** The solution the database belongs to. */
  readonly solution: string;
  /** Slots this instance holds: connections being opened, open, or closing (socket not closed yet). */
  slots: number;
  /** Physical connects that took a slot and have not opened their socket yet (true: outside the pool). */
  readonly tickets: boolean[];
  /** Connections Sequelize opens outside the pool (its version probe), until their socket has closed. */
  outside: number;
  /** Connection requests between `beforePoolAcquire` and the pool's own queue (invisible to the pool's counters). */
  inflight: number;
  /** Last time a connection was asked for (ms since epoch). */
  lastUsed: number;
  /** Set once the cap decided to close this instance. */
  evicting: boolean;
}

/** The part of the cap a pool reports to. */
export interface SlotKeeper {
  /** Takes a slot for a new physical connection of this instance (waits under the cap). */
  acquire(state: PoolState): Promise<void>;
  /** Gives back one slot of this instance: its connection's socket is closed. */
  release(state: PoolState): void;
  /** Something changed (a pool may have become idle): serve waiters. */
  pump(): void;
  /** Whether the pool of this instance has no request in flight (a connect now is not the pool's). */
  isIdle(state: PoolState): boolean;
  /** How long a connection being closed may wait for its query to end (ms). */
  readonly drainMs: number;
}

type StreamFactory = (config: unknown) => Socket;
interface PgClient {
  query(config: { text: string; query_timeout: number }): Promise<unknown>;
}

/**
 * Hooks one solution database's Sequelize instance into the cap, through Sequelize v6's public
 * hooks only:
 * - `beforeConnect` (awaited before every physical connect) takes a slot, and hands the connect a
 *   socket of ours (pg's documented `stream` option) whose `close` gives the slot back: the slot is
 *   freed only once the TCP connection is really closed, i.e. after the backend has exited
 *   (PostgreSQL keeps a client's socket open until its backend process dies), also when the
 *   connect fails or the server drops the connection;
 * - `beforeDisconnect` lets a query still running on a connection pg is about to close (e.g. after a
 *   client-side `query_timeout`) finish first, so that pg closes it gracefully instead of
 *   destroying the socket under a live backend (bounded by `drainMs`);
 * - `beforePoolAcquire` counts a request until it reaches the pool's own queue, so eviction never
 *   closes a pool a call is about to use; `afterQuery` wakes the cap when a pool may be idle.
 */
export function instrumentPool(sequelize: Sequelize, alias: string, solution: string, keeper: SlotKeeper): PoolState {
  const state: PoolState = { alias, solution, slots: 0, tickets: [], outside: 0, inflight: 0, lastUsed: Date.now(), evicting: false };
  let userStream: StreamFactory | Socket | undefined;
  let installed = false;
  const socket: StreamFactory = (config) => {
    const made = typeof userStream === 'function' ? userStream(config) : userStream ?? new Socket();
    const outside = state.tickets.shift();
    if (outside !== undefined) {
      made.once('close', () => {
        keeper.release(state);
        if (outside) setImmediate(() => ((state.outside -= 1), keeper.pump()));
      });
    }
    return made;
  };
  sequelize.addHook('beforeConnect', async (config) => {
    // A connect while the pool has no request waiting is Sequelize's own (the server version probe
    // of a new instance): the instance counts as busy until that connection has closed again.
    const outside = keeper.isIdle(state);
    if (outside) state.outside++;
    try {
      await keeper.acquire(state);
    } catch (error) {
      if (outside) state.outside--;
      throw error;
    }
    state.tickets.push(outside);
    if (!installed) {
      // `config` is this instance's own copy of the options (Sequelize clones them per instance).
      const options = config as { dialectOptions?: { stream?: StreamFactory | Socket } };
      const dialectOptions = (options.dialectOptions ??= {});
      userStream = dialectOptions.stream;
      dialectOptions.stream = socket;
      installed = true;
    }
  });
  sequelize.addHook('beforeDisconnect', async (connection: unknown) => {
    // Queued behind a query still running, this returns once the backend is idle again; it fails
    // at once on a connection that is already broken or closing (nothing to wait for then).
    const started = Date.now();
    while (Date.now() - started < keeper.drainMs) {
      try {
        await (connection as PgClient).query({ text: 'SELECT 1', query_timeout: Math.max(1, keeper.drainMs - (Date.now() - started)) });
        return;
      } catch (error) {
        if (!/Query read timeout/.test(String(error))) return;
      }
    }
  });
  sequelize.addHook('beforePoolAcquire', () => {
    state.inflight++;
    state.lastUsed = Date.now();
    // By the next macrotask the request is in the pool's queue or holds a connection (both visible
    // to the pool's counters).
    setImmediate(() => {
      state.inflight--;
      keeper.pump();
    });
  });
  sequelize.addHook('afterQuery', () => {
    setImmediate(() => keeper.pump());
  });
  return state;
}
