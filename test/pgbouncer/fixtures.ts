import { startCluster, type ThrowawayCluster } from '../harness/cluster';
import { pgbouncerMissing, startPgBouncer, type PgBouncerOptions, type ThrowawayPgBouncer } from '../harness/pgbouncer';

/** A throwaway cluster with one PgBouncer per requested pool mode in front of it. */
export interface PooledServer {
  readonly cluster: ThrowawayCluster;
  /** The transaction-pooling PgBouncer. */
  readonly bouncer: ThrowawayPgBouncer;
  /** Creates a database on the cluster (names start with `pgb_`). */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL over a direct connection to the cluster (not through the pooler). */
  direct<T extends object = any>(database: string, sql: string, params?: unknown[]): Promise<T[]>;
  /** Server connections PostgreSQL has open to `database` (pg_stat_activity, the pooler's and ours). */
  serverConnections(database: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `before` of a PgBouncer suite: skips it (pending, with the reason) when pgbouncer is missing,
 * else starts a cluster and a transaction-pooling PgBouncer in front of it.
 */
export async function startPooledServer(context: Mocha.Context, options: Omit<PgBouncerOptions, 'server'> = {}): Promise<PooledServer> {
  const missing = pgbouncerMissing();
  if (missing) {
    // pending, with the reason on stderr: .ci/run installs Debian's pgbouncer, so CI always runs these.
    process.stderr.write(`PgBouncer tests pending: ${missing}\n`);
    context.skip();
  }
  const cluster = await startCluster({ settings: { max_connections: 60 } });
  let bouncer: ThrowawayPgBouncer;
  try {
    bouncer = await startPgBouncer({ server: cluster, ...options });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    cluster,
    bouncer,
    async createDatabase(name) {
      await cluster.query(`CREATE DATABASE "${name}"`);
      return name;
    },
    direct: (database, sql, params) => cluster.query(sql, params, database),
    async serverConnections(database) {
      const rows = await cluster.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      return rows[0]!.n;
    },
    async stop() {
      await bouncer.stop();
      await cluster.stop();
    },
  };
}

/** A suite title that says why it is pending when pgbouncer is missing. */
export function pooledSuite(title: string): string {
  const missing = pgbouncerMissing();
  return missing ? `${title} (pending: ${missing})` : title;
}
