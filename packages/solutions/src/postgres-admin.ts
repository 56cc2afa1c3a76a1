import createDebug from 'debug';
import { Client, Pool, type ClientConfig, type PoolClient } from 'pg';
import { ConfigurationError, migrationConfig, type NormalizedDatabaseConfig } from '@fbs/core';
import type { SolutionDialect } from './dialect';
import { postgresDialect } from './postgres-dialect';

const log = createDebug('fbs:solutions:sql');

/** A connection pinned for one locked operation. */
export interface AdminSession {
  /** Runs SQL (database names must already be validated). `secret` statements are logged redacted. */
  query<R = any>(sql: string, params?: unknown[], options?: { secret?: boolean }): Promise<R[]>;
}

/**
 * Administrative connections to the PostgreSQL server of the solution databases, and its
 * {@link SolutionDialect}. Statements go through `pg` directly (CREATE DATABASE cannot run in a
 * transaction, and a lock must stay on one connection); they are logged with
 * `DEBUG=fbs:solutions:sql`, never with a password.
 */
export class PostgresAdmin {
  /** The statements of this server's dialect. */
  readonly dialect: SolutionDialect = postgresDialect;
  readonly #config: ClientConfig;
  readonly #maintenance: string;
  #pool: Pool | undefined;

  readonly #checkPooler: boolean;
  #pooler: Promise<void> | undefined;

  /**
   * `server`: the connection config of the server; admin statements run in its `database`, on its
   * `migrationUrl` when set (CREATE DATABASE and the locks need a direct session, not a
   * transaction-pooling PgBouncer). Without one, a pooler in the way is refused on first connect.
   */
  constructor(given: NormalizedDatabaseConfig, poolSize = 4) {
    const server = migrationConfig('solutions server', given);
    this.#checkPooler = given.migrationUrl === undefined;
    this.#maintenance = server.database;
    this.#config = {
      host: server.host,
      port: server.port,
      user: server.username,
      password: server.password ?? undefined,
      ssl: (server.dialectOptions as { ssl?: ClientConfig['ssl'] } | undefined)?.ssl,
      connectionTimeoutMillis: 10_000,
      max: poolSize,
      idleTimeoutMillis: 5_000,
      // An idle admin connection never keeps the process alive (e.g. `fbs-migrate --all-solutions`, which closes only the project).
      allowExitOnIdle: true,
    } as ClientConfig;
  }

  /** Runs `fn` holding the lock named `key` on a pinned connection (shared locks may overlap each other). */
  async withLock<T>(key: string, fn: (session: AdminSession) => Promise<T>, shared = false): Promise<T> {
    const client = await this.#connectPooled();
    const session = sessionOf(client);
    let broken: unknown;
    try {
      await this.dialect.lock(session, key, shared);
      try {
        return await fn(session);
      } finally {
        await this.dialect.unlock(session, key, shared).catch((error) => {
          broken = error;
        });
      }
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Runs `fn` on a pooled connection to the maintenance database, without a lock. */
  async session<T>(fn: (session: AdminSession) => Promise<T>): Promise<T> {
    const client = await this.#connectPooled();
    try {
      return await fn(sessionOf(client));
    } finally {
      client.release();
    }
  }

  /**
   * Runs `fn` on a connection of its own (not pooled, so callers holding pooled ones never wait for
   * each other) holding the lock named `key`; the lock goes with the connection.
   */
  async withOwnConnection<T>(key: string, fn: (session: AdminSession) => Promise<T>): Promise<T> {
    return this.inDatabase(this.#maintenance, async (session) => {
      await this.dialect.lock(session, key, false);
      return fn(session);
    });
  }

  /** Runs statements in one database of the server (e.g. grants inside it) on a short-lived connection. */
  async inDatabase<T>(database: string, fn: (session: AdminSession) => Promise<T>): Promise<T> {
    const client = new Client({ ...this.#config, database });
    await client.connect();
    try {
      await this.#refusePooler(client);
      return await fn(sessionOf(client));
    } finally {
      await client.end();
    }
  }

  /** Closes the admin connections. Idempotent. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async #connectPooled(): Promise<PoolClient> {
    if (this.#pool === undefined) {
      this.#pool = new Pool({ ...this.#config, database: this.#maintenance });
      this.#pool.on('error', (error) => log('idle admin connection failed: %s', error.message));
    }
    const client = await this.#pool.connect();
    try {
      await this.#refusePooler(client);
    } catch (error) {
      client.release(true);
      throw error;
    }
    return client;
  }

  /** Once: a server pid that is not the protocol's process id means a pooler (PgBouncer) is in the way. */
  #refusePooler(client: Client | PoolClient): Promise<void> {
    if (!this.#checkPooler) return Promise.resolve();
    this.#pooler ??= client.query('SELECT pg_backend_pid() AS pid').then(({ rows }) => {
      const processId = (client as unknown as { processID?: number }).processID;
      if (typeof processId !== 'number' || processId === Number(rows[0]?.pid)) return;
      throw new ConfigurationError(
        `The solutions server (${this.#config.host ?? 'localhost'}:${this.#config.port ?? 5432}) is reached through a connection pooler such as PgBouncer: ` +
          "creating, cloning and dropping solution databases needs a direct session (CREATE DATABASE, session advisory locks). " +
          'Set `migrationUrl` on the system alias (or on the solutions `server` config) to a direct URL of the server. See docs/pgbouncer.md.',
      );
    });
    this.#pooler.catch(() => (this.#pooler = undefined));
    return this.#pooler;
  }
}


function sessionOf(client: Client | PoolClient): AdminSession {
  return { query: (sql, params, options) => run(client, sql, params, options) };
}

async function run<R>(client: Client | PoolClient, sql: string, params: unknown[] = [], options: { secret?: boolean } = {}): Promise<R[]> {
  log('%s', options.secret ? redact(sql) : sql);
  const result = await client.query(sql, params as any[]);
  return result.rows as R[];
}

function redact(sql: string): string {
  return sql.replace(/PASSWORD\s+'(?:[^']|'')*'/gi, "PASSWORD '<redacted>'");
}
