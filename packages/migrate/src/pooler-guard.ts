import type { Sequelize } from 'sequelize-typescript';
import { MigrationPoolerError } from './errors';

interface PgClient {
  readonly processID?: number;
  query(sql: string): Promise<{ rows: Array<{ pid: number }> }>;
}

/** What the guard needs of Sequelize's (public) connection manager. */
interface Manager {
  getConnection(options: { type: 'write'; useMaster: boolean }): Promise<unknown>;
  releaseConnection(connection: unknown): void;
}

const CHECKED = new WeakMap<object, Promise<{ serverPid: number; processId: number } | undefined>>();

/**
 * Refuses to migrate `alias` through a connection pooler unless its config sets `migrationUrl`
 * (the user's word that this connection keeps its session). A PostgreSQL backend announces its own
 * pid in the protocol's BackendKeyData; PgBouncer (and other poolers) announce an id of their own, so
 * `pg_backend_pid()` differs from node-postgres' `processID`. Checked once per Sequelize instance.
 */
export async function refusePooler(sequelize: Sequelize, alias: string, address: string, hasMigrationUrl: boolean): Promise<void> {
  if (hasMigrationUrl || sequelize.getDialect() !== 'postgres') return;
  let check = CHECKED.get(sequelize);
  if (check === undefined) {
    check = probe(sequelize);
    CHECKED.set(sequelize, check);
    check.catch(() => CHECKED.delete(sequelize));
  }
  const pooled = await check;
  if (pooled) throw new MigrationPoolerError(alias, address, pooled.serverPid, pooled.processId);
}

async function probe(sequelize: Sequelize): Promise<{ serverPid: number; processId: number } | undefined> {
  const manager = sequelize.connectionManager as unknown as Manager;
  const client = (await manager.getConnection({ type: 'write', useMaster: true })) as PgClient;
  try {
    const serverPid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
    const processId = client.processID;
    return typeof processId === 'number' && processId !== serverPid ? { serverPid, processId } : undefined;
  } finally {
    manager.releaseConnection(client);
  }
}
