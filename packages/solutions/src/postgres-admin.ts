import createDebug from 'debug';
import { Client, Pool, escapeIdentifier, escapeLiteral, type ClientConfig, type PoolClient } from 'pg';
import type { NormalizedDatabaseConfig } from '@fbs/core';

const log = createDebug('fbs:solutions:sql');

/** A connection pinned for one locked operation. */
export interface AdminSession {
  /** Runs SQL (database names must already be validated). `secret` statements are logged redacted. */
  query<R = any>(sql: string, params?: unknown[], options?: { secret?: boolean }): Promise<R[]>;
}

/**
 * The dialect adapter: database creation, templates, locks and roles on one PostgreSQL server.
 * Statements go through `pg` directly (CREATE DATABASE cannot run in a transaction, and a lock must
 * stay on one connection); they are logged with `DEBUG=fbs:solutions:sql`, never with a password.
 */
export class PostgresAdmin {
  readonly #config: ClientConfig;
  readonly #maintenance: string;
  #pool: Pool | undefined;

  /** `server`: the connection config of the server; admin statements run in its `database`. */
  constructor(server: NormalizedDatabaseConfig, poolSize = 4) {
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

  /** Runs `fn` holding an advisory lock named `key` on a pinned connection (shared locks may overlap each other). */
  async withLock<T>(key: string, fn: (session: AdminSession) => Promise<T>, shared = false): Promise<T> {
    const client = await this.#connectPooled();
    const lock = shared ? 'pg_advisory_lock_shared' : 'pg_advisory_lock';
    let broken: unknown;
    try {
      await run(client, `SELECT ${lock}(hashtextextended($1, 0))`, [key]);
      try {
        return await fn({ query: (sql, params, options) => run(client, sql, params, options) });
      } finally {
        await run(client, `SELECT ${lock.replace('lock', 'unlock')}(hashtextextended($1, 0))`, [key]).catch((error) => {
          broken = error;
        });
      }
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Runs one statement on the maintenance database. */
  async query<R = any>(sql: string, params: unknown[] = []): Promise<R[]> {
    const client = await this.#connectPooled();
    try {
      return await run<R>(client, sql, params);
    } finally {
      client.release();
    }
  }

  /** Runs statements in one database of the server (e.g. grants inside it) on a short-lived connection. */
  async inDatabase<T>(database: string, fn: (session: AdminSession) => Promise<T>): Promise<T> {
    const client = new Client({ ...this.#config, database });
    await client.connect();
    try {
      return await fn({ query: (sql, params, options) => run(client, sql, params, options) });
    } finally {
      await client.end();
    }
  }

  /** Which of `names` exist on the server. */
  async existing(names: readonly string[]): Promise<Set<string>> {
    const rows = await this.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
    return new Set(rows.map((r) => r.datname));
  }

  /** The comment on a database (templates keep their fingerprint there), or undefined. */
  async comment(database: string): Promise<string | undefined> {
    const rows = await this.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [database]);
    return rows[0]?.c ?? undefined;
  }

  /** Closes the admin connections. Idempotent. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #connectPooled(): Promise<PoolClient> {
    if (this.#pool === undefined) {
      this.#pool = new Pool({ ...this.#config, database: this.#maintenance });
      this.#pool.on('error', (error) => log('idle admin connection failed: %s', error.message));
    }
    return this.#pool.connect();
  }
}

/** `"name"`, quoted as an identifier. */
export const ident = (name: string): string => escapeIdentifier(name);
/** `'text'`, quoted as a literal (for DDL that takes no parameters). */
export const literal = (text: string): string => escapeLiteral(text);

async function run<R>(client: Client | PoolClient, sql: string, params: unknown[] = [], options: { secret?: boolean } = {}): Promise<R[]> {
  log('%s', options.secret ? redact(sql) : sql);
  const result = await client.query(sql, params as any[]);
  return result.rows as R[];
}

function redact(sql: string): string {
  return sql.replace(/PASSWORD\s+'(?:[^']|'')*'/gi, "PASSWORD '<redacted>'");
}
