import { DatabaseUnavailableError, isConnectionFailure, type Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
import { HistoryStore, type HistoryRow } from './history-store';

/**
 * Reads one database's history rows for `status`/`plan`: through the alias's Sequelize when its pool
 * is open (or the config has connection hooks or a custom driver), else over one short-lived driver
 * connection (a fresh Sequelize per database costs more than the query). Undefined: no history table.
 */
export async function readHistory(project: Project, alias: string, table: string): Promise<HistoryRow[] | undefined> {
  const connections = project.connections;
  const config = connections.config(alias);
  const adapter = dialectFor(config.dialect, `Database '${alias}'`).adapter;
  if (connections.isOpen(alias) || config.hooks !== undefined) {
    return new HistoryStore(project.connections.get(alias), adapter, table).rows(); // a bare connection: reading history needs no models
  }
  let rows;
  try {
    rows = await adapter.readHistory(alias, config, table);
  } catch (error) {
    if (isConnectionFailure(error)) throw new DatabaseUnavailableError(alias, connections.describe(alias), error);
    throw error;
  }
  return rows?.map((r) => ({ name: r.name, checksum: r.checksum.trim(), appliedAt: r.applied_at }));
}
