import createDebug from 'debug';
import type { NormalizedDatabaseConfig } from '../../database-config';
import type { AdminSession, DatabaseAdmin, ServerAdmin, ServerAdminOptions } from '../database-admin';
import { postgresClientConfig, type PostgresClientConfig } from './postgres-client-config';
import { postgresDatabaseAdmin } from './postgres-database-admin';
import { classifyPostgresError } from './postgres-errors';
import { postgresDriver, type PgClient, type PgModule, type PgPool } from './postgres-driver';

/**
 * Administrative connections to one PostgreSQL server. Statements go through `pg` directly
 * (CREATE DATABASE cannot run in a transaction, and a lock must stay on one connection); they are
 * logged under `options.logNamespace` (`DEBUG=fbs:dialect:sql`), secrets redacted, never a password.
 */
export class PostgresServerAdmin implements ServerAdmin {
  readonly dialect: DatabaseAdmin = postgresDatabaseAdmin;
  readonly maintenanceDatabase: string;
  readonly classifyError = classifyPostgresError;
  readonly #config: PostgresClientConfig;
  readonly #driver: PgModule;
  readonly #poolSize: number;
  readonly #log: createDebug.Debugger;
  #pool: PgPool | undefined;

  /** `server`: the connection config of the server; admin statements run in its `database`. */
  constructor(server: NormalizedDatabaseConfig, options: ServerAdminOptions = {}) {
    this.maintenanceDatabase = server.database;
    this.#config = postgresClientConfig('admin', server, { applicationName: options.applicationName });
    this.#driver = postgresDriver(server as { dialectModule?: unknown });
    this.#poolSize = options.poolSize ?? 4;
    this.#log = createDebug(options.logNamespace ?? 'fbs:dialect:sql');
  }

  async withLock<T>(name: string, fn: (session: AdminSession) => Promise<T>, shared = false): Promise<T> {
    const client = await this.#connectPooled();
    const session = this.#sessionOf(client);
    let broken: unknown;
    try {
      await this.dialect.lock(session, name, shared);
      try {
        return await fn(session);
      } finally {
        await this.dialect.unlock(session, name, shared).catch((error) => {
          broken = error;
        });
      }
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async session<T>(fn: (session: AdminSession) => Promise<T>): Promise<T> {
    const client = await this.#connectPooled();
    try {
      return await fn(this.#sessionOf(client));
    } finally {
      client.release();
    }
  }

  async withOwnConnection<T>(name: string, fn: (session: AdminSession) => Promise<T>): Promise<T> {
    return this.inDatabase(this.maintenanceDatabase, async (session) => {
      await this.dialect.lock(session, name, false);
      return fn(session);
    });
  }

  async inDatabase<T>(database: string, fn: (session: AdminSession) => Promise<T>): Promise<T> {
    const client = new this.#driver.Client({ ...this.#config, database });
    client.on('error', (error) => this.#log('admin connection to %s failed: %s', database, error.message));
    await client.connect();
    try {
      return await fn(this.#sessionOf(client));
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #connectPooled() {
    if (this.#pool === undefined) {
      // An idle admin connection never keeps the process alive (e.g. `fbs-migrate --all-solutions`, which closes only the project).
      this.#pool = new this.#driver.Pool({ ...this.#config, max: this.#poolSize, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
      this.#pool.on('error', (error) => this.#log('idle admin connection failed: %s', error.message));
    }
    return this.#pool.connect();
  }

  #sessionOf(client: PgClient): AdminSession {
    return {
      query: async <R>(sql: string, params: unknown[] = [], options: { secret?: boolean } = {}): Promise<R[]> => {
        this.#log('%s', options.secret ? redactSql(sql) : sql);
        return (await client.query(sql, params)).rows as R[];
      },
    };
  }
}

/** `PASSWORD '…'` of a statement replaced by `PASSWORD '<redacted>'` (for logs). */
export function redactSql(sql: string): string {
  return sql.replace(/PASSWORD\s+E?'(?:[^']|'')*'/gi, "PASSWORD '<redacted>'");
}
