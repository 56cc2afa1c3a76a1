import { createRequire } from 'node:module';
import type { NormalizedDatabaseConfig } from '@fbs/core';
import type { DialectAdapter } from './dialect-adapter';
import { SESSION_SETUP, fenceCheck, fenceSession, fenceTransaction, lockHeld, takeLock, transactionOptions } from './postgres-lock';

/** PostgreSQL: advisory lock on a dedicated pooled connection (polled), advisory fences per migration, transactional DDL. */
export const postgresAdapter: DialectAdapter = {
  dialect: 'postgres',
  transactionalDdl: true,

  lock: takeLock,
  fenceTransaction,
  transactionOptions,
  fenceSession,
  lockHeld,
  fenceCheck,
  sessionSetup: SESSION_SETUP,

  createHistoryTable(table: string): string {
    return (
      `CREATE TABLE IF NOT EXISTS ${this.quote(table)} (` +
      'id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, app_label VARCHAR(63) NOT NULL, ' +
      'checksum CHAR(64) NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())'
    );
  },

  insertHistory(table: string): string {
    return `INSERT INTO ${this.quote(table)} (name, app_label, checksum) VALUES (?, ?, ?)`;
  },

  quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
  },

  isMissingTable(error: unknown): boolean {
    const e = error as { parent?: { code?: string }; original?: { code?: string } } | undefined;
    return (e?.parent?.code ?? e?.original?.code) === '42P01';
  },

  async readHistory(config: NormalizedDatabaseConfig, table: string) {
    const client = postgresClient(config);
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
};

/**
 * A `pg` client (not connected) for `config`'s server and database, with the driver Sequelize uses
 * (or the config's `dialectModule`); its idle errors are ignored (the next query reports them).
 */
export function postgresClient(config: NormalizedDatabaseConfig): any {
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
  return client;
}

let pgModule: any;
/** The `pg` module Sequelize itself loads (resolved from sequelize's own location). */
function driver(): any {
  pgModule ??= createRequire(createRequire(__filename).resolve('sequelize'))('pg');
  return pgModule;
}
