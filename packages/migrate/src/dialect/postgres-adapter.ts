import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { NormalizedDatabaseConfig } from '@fbs/core';
import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { DialectAdapter, LockBusy, LockRequest, MigrationLock } from './dialect-adapter';

interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

const CONNECTION_CHECK = new WeakMap<object, Promise<boolean>>();

/** PostgreSQL: advisory lock on a dedicated pooled connection, transactional DDL. */
export const postgresAdapter: DialectAdapter = {
  dialect: 'postgres',
  transactionalDdl: true,

  async lock(sequelize: Sequelize, key: string, request: LockRequest): Promise<MigrationLock | LockBusy> {
    const manager = (sequelize as any).connectionManager;
    const client: PgClient = await manager.getConnection({ type: 'write', useMaster: true });
    const lockKey = advisoryKey(key);
    let held = false;
    try {
      const [row] = (await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey])).rows;
      if (!row.ok) {
        const holder = await describeHolder(client, lockKey);
        if (!request.wait) return { busy: true, holder };
        request.onWait(holder);
        await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
      }
      held = true;
    } finally {
      if (!held) manager.releaseConnection(client);
    }
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          try {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]);
            manager.releaseConnection(client);
          } catch {
            // The connection broke: the server dropped the lock with the session. Discard the connection.
            await manager.pool?.destroy?.(client);
          }
        })()),
    };
  },

  createHistoryTable(table: string): string {
    return (
      `CREATE TABLE IF NOT EXISTS ${this.quote(table)} (` +
      'id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, app_label VARCHAR(63) NOT NULL, ' +
      'checksum CHAR(64) NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())'
    );
  },

  insertHistory(table: string): string {
    return `INSERT INTO ${this.quote(table)} (name, app_label, checksum) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`;
  },

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  },

  isMissingTable(error: unknown): boolean {
    const e = error as { parent?: { code?: string }; original?: { code?: string } } | undefined;
    return (e?.parent?.code ?? e?.original?.code) === '42P01';
  },

  async readHistory(config: NormalizedDatabaseConfig, table: string) {
    const pg = (config as { dialectModule?: any }).dialectModule ?? driver();
    const client = new pg.Client({
      ...(config.dialectOptions as object | undefined),
      host: config.host,
      port: config.port,
      user: config.username,
      password: config.password ?? undefined,
      database: config.database,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(`SELECT name, checksum, applied_at FROM ${this.quote(table)} ORDER BY id`)).rows;
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return undefined;
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  async prepareTransaction(sequelize: Sequelize, transaction: Transaction): Promise<void> {
    // PostgreSQL 14+: abort the migration's query soon after its client dies (a killed migrator),
    // instead of holding its locks until the statement ends.
    let check = CONNECTION_CHECK.get(sequelize);
    if (check === undefined) {
      check = sequelize.query('SHOW server_version_num', { plain: true, transaction }).then((r: any) => Number(r?.server_version_num) >= 140000);
      CONNECTION_CHECK.set(sequelize, check);
    }
    if (await check) await sequelize.query("SET LOCAL client_connection_check_interval = '1s'", { transaction });
  },
};

let pgModule: any;
/** The `pg` module Sequelize itself loads (resolved from sequelize's own location). */
function driver(): any {
  pgModule ??= createRequire(createRequire(__filename).resolve('sequelize'))('pg');
  return pgModule;
}

/** A positive 62-bit advisory lock key from a string, as a decimal string. */
export function advisoryKey(key: string): string {
  const digest = createHash('sha256').update(`fbs-migrate:${key}`).digest();
  return (digest.readBigUInt64BE(0) & 0x3fffffffffffffffn).toString();
}

async function describeHolder(client: PgClient, lockKey: string): Promise<string | undefined> {
  const { rows } = await client.query(
    `SELECT a.pid, a.application_name, a.client_addr::text AS addr
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`,
    [lockKey],
  );
  const row = rows[0];
  if (!row) return undefined;
  return `server pid ${row.pid}${row.application_name ? `, ${row.application_name}` : ''}${row.addr ? ` from ${row.addr}` : ''}`;
}
