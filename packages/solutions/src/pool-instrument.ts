import type { Sequelize } from 'sequelize-typescript';

/** What the cap tracks about one Sequelize instance of a solution database. */
export interface PoolState {
  /** Calls between entering `query()`/`getConnection()` and holding a pooled connection (invisible to the pool's counters). */
  inflight: number;
  /** Last time a connection was asked for (ms since epoch). */
  lastUsed: number;
  /** Set once the cap decided to close this instance. */
  evicting: boolean;
}

/** The part of the cap a pool reports to. */
export interface SlotKeeper {
  acquire(alias: string): Promise<void>;
  release(state: PoolState): void;
  pump(): void;
}

/**
 * Hooks one solution database's Sequelize instance into the cap: every physical connection takes a
 * slot before it opens and gives it back when it closes or fails to open; calls in flight are
 * counted from the moment they enter the instance, so eviction never closes a pool a call is about
 * to use. Wraps Sequelize v6's connection manager (`connect`, `disconnect`, `getConnection`,
 * `releaseConnection`) on this instance only.
 */
export function instrumentPool(sequelize: Sequelize, alias: string, keeper: SlotKeeper): PoolState {
  const state: PoolState = { inflight: 0, lastUsed: Date.now(), evicting: false };
  const manager = (sequelize as any).connectionManager;
  const counted = new WeakSet<object>();
  const connect = manager.connect.bind(manager);
  const disconnect = manager.disconnect.bind(manager);
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  const query = sequelize.query.bind(sequelize);

  manager.connect = async (config: unknown) => {
    await keeper.acquire(alias);
    let connection: object;
    try {
      connection = await connect(config);
    } catch (error) {
      keeper.release(state);
      throw error;
    }
    counted.add(connection);
    return connection;
  };
  manager.disconnect = async (connection: object) => {
    try {
      return await disconnect(connection);
    } finally {
      if (counted.delete(connection)) keeper.release(state);
    }
  };
  manager.getConnection = async (options: unknown) => {
    state.inflight++;
    state.lastUsed = Date.now();
    try {
      return await getConnection(options);
    } finally {
      state.inflight--;
    }
  };
  manager.releaseConnection = (connection: object) => {
    releaseConnection(connection);
    keeper.pump();
  };
  (sequelize as any).query = async (sql: unknown, options: unknown) => {
    state.inflight++;
    state.lastUsed = Date.now();
    try {
      return await query(sql as any, options as any);
    } finally {
      state.inflight--;
    }
  };
  return state;
}
