import type { Sequelize } from 'sequelize';

/** What a connection pooler in the way looks like: the session's server pid and the process id the protocol announced. */
export interface PoolerIds {
  readonly serverPid: number;
  readonly processId: number;
}

interface ProbedClient {
  readonly processID?: number;
  query(sql: string): Promise<{ rows: Array<{ pid: number }> }>;
}

/**
 * Whether `client` talks to PostgreSQL through a connection pooler. A backend announces its own pid
 * in the protocol's BackendKeyData (node-postgres' `processID`); PgBouncer, and poolers like it,
 * announce an id of their own, so it differs from `pg_backend_pid()`. Undefined: a direct session.
 */
export async function poolerIds(client: ProbedClient): Promise<PoolerIds | undefined> {
  const serverPid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  const processId = client.processID;
  return typeof processId === 'number' && processId !== serverPid ? { serverPid, processId } : undefined;
}

/** What the probe needs of Sequelize's (public) connection manager. */
interface Manager {
  getConnection(options: { type: 'write'; useMaster: boolean }): Promise<unknown>;
  releaseConnection(connection: unknown): void;
}

/** {@link poolerIds} on a connection of `sequelize`'s pool (handed back afterwards). */
export async function sequelizeBehindPooler(sequelize: Sequelize): Promise<PoolerIds | undefined> {
  const manager = sequelize.connectionManager as unknown as Manager;
  const client = await manager.getConnection({ type: 'write', useMaster: true });
  try {
    return await poolerIds(client as ProbedClient);
  } finally {
    manager.releaseConnection(client);
  }
}
