import { createHash } from 'node:crypto';
import createDebug from 'debug';
import { Client } from 'pg';
import { clientConfig, type TestServer } from './test-server';

const log = createDebug('fbs:testing:sql');

/** Quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Administrative statements on the test server's maintenance database (`postgres`): create, clone
 * and drop databases, and a server-wide lock so that parallel workers migrate a template once.
 * Logged with `DEBUG=fbs:testing:sql` (never a password).
 */
export class ServerAdmin {
  constructor(readonly server: TestServer) {}

  /** Runs SQL on one database of the server, on a connection of its own. */
  async query<R = any>(database: string, sql: string, params: unknown[] = []): Promise<R[]> {
    const client = await this.#connect(database);
    try {
      log('%s %s', database, sql);
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async exists(database: string): Promise<boolean> {
    return (await this.query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).length > 0;
  }

  /** Creates `database`, empty or as a copy of `template` (nobody may be connected to the template). */
  async create(database: string, template?: string): Promise<void> {
    await this.query('postgres', `CREATE DATABASE ${quoteIdent(database)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
  }

  /** Drops `database` if it exists, ending its sessions. */
  async drop(database: string): Promise<void> {
    await this.query('postgres', `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  }

  /** Runs `fn` holding a server-wide advisory lock named `key` (other processes wait for it). */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.#connect('postgres');
    const id = createHash('sha256').update(`fbs-testing:${key}`).digest().readBigInt64BE(0).toString();
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [id]);
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [id]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  async #connect(database: string): Promise<Client> {
    const client = new Client(clientConfig(this.server, database));
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}
