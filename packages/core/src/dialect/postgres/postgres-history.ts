import type { NormalizedDatabaseConfig } from '../../database-config';
import { postgresClientConfig } from './postgres-client-config';
import { postgresDriver } from './postgres-driver';
import { classifyPostgresError } from './postgres-errors';
import { quoteIdentifier } from './postgres-identifiers';

/** A history row as stored. */
export interface StoredHistoryRow {
  name: string;
  checksum: string;
  applied_at: Date;
}

/** `CREATE TABLE IF NOT EXISTS` of a migration history table. */
export function createHistoryTableSql(table: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (` +
    'id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, app_label VARCHAR(63) NOT NULL, ' +
    'checksum CHAR(64) NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())'
  );
}

/** The INSERT of one history row (name, app_label, checksum), positional `?` placeholders. */
export function insertHistorySql(table: string): string {
  return `INSERT INTO ${quoteIdentifier(table)} (name, app_label, checksum) VALUES (?, ?, ?)`;
}

/**
 * Reads history `table` over one short-lived driver connection (client options from
 * {@link postgresClientConfig}, as the alias's pool would connect). Undefined when the table does
 * not exist; connection errors are thrown as they come.
 */
export async function readHistoryTable(alias: string, config: NormalizedDatabaseConfig, table: string): Promise<StoredHistoryRow[] | undefined> {
  const client = new (postgresDriver(config as { dialectModule?: unknown }).Client)(postgresClientConfig(alias, config));
  client.on('error', () => undefined); // a broken idle connection: the query below reports it
  await client.connect();
  try {
    return (await client.query(`SELECT name, checksum, applied_at FROM ${quoteIdentifier(table)} ORDER BY id`)).rows;
  } catch (error) {
    if (classifyPostgresError(error) === 'undefined-table') return undefined;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
