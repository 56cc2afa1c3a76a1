import { createRequire } from 'node:module';
import type { PostgresClientConfig } from './postgres-client-config';

/** What the SDK uses of a node-postgres connection (`pg.Client` / a pool's client). */
export interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[]; rowCount?: number | null }>;
  connect(): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the SDK uses of a node-postgres pool. */
export interface PgPool {
  connect(): Promise<PgClient & { release(error?: Error | boolean): void }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The node-postgres module: `Client` and `Pool` constructors. */
export interface PgModule {
  Client: new (config: PostgresClientConfig) => PgClient;
  Pool: new (config: PostgresClientConfig & { max?: number; idleTimeoutMillis?: number; allowExitOnIdle?: boolean }) => PgPool;
}

let sequelizePg: PgModule | undefined;

/**
 * The node-postgres module for a config: its `dialectModule` when it sets one (as Sequelize does),
 * else the `pg` Sequelize itself loads (resolved from Sequelize's location, so the SDK and the
 * application's pools use one driver and the SDK adds no dependency on it).
 */
export function postgresDriver(config?: { dialectModule?: unknown }): PgModule {
  const given = config?.dialectModule as Partial<PgModule> | undefined;
  if (given && typeof given.Client === 'function') return given as PgModule;
  sequelizePg ??= createRequire(createRequire(__filename).resolve('sequelize'))('pg') as PgModule;
  return sequelizePg;
}
