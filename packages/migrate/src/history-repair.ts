import type { Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
import { MigrationLockedError } from './errors';
import { HistoryStore } from './history-store';
import type { MigrationEntry } from './migration-entry';

/** What `forget`/`accept` did on one database. */
export interface HistoryRepair {
  readonly alias: string;
  /**
   * `forgotten` (the row was deleted), `accepted` (its checksum now matches the file), `unchanged`
   * (accept: it matched already), `not-recorded` (the history has no such row: nothing changed), or
   * `failed` (see `error`).
   */
  readonly outcome: 'forgotten' | 'accepted' | 'unchanged' | 'not-recorded' | 'failed';
  /** The checksum recorded before (and, for accept, after). */
  readonly before?: string;
  readonly after?: string;
  readonly error?: Error;
}

/** The repair to make: drop the row of `name`, or set its checksum to that of `entry` (the shipped file). */
export type RepairRequest = { readonly kind: 'forget'; readonly name: string } | { readonly kind: 'accept'; readonly name: string; readonly entry: MigrationEntry };

/**
 * Repairs one database's history under its migration lock (so no run is in flight): Django's
 * `migrate --fake app zero`-style surgery without running anything. `forget` deletes the row of a
 * migration (one that no app ships any more, or whose effects were undone by hand); `accept`
 * records the current checksum of an edited migration (its edit is harmless). Never throws for
 * what happens on the database.
 */
export async function repairHistory(project: Project, table: string, alias: string, request: RepairRequest): Promise<HistoryRepair> {
  const sequelize = project.connection(alias);
  const adapter = dialectFor(project.connections.config(alias).dialect, `Database '${alias}'`).adapter;
  let lock;
  try {
    lock = await adapter.lock(sequelize, table, { wait: true, onWait: () => undefined });
    if ('busy' in lock) throw new MigrationLockedError(alias, project.connections.describe(alias), lock.holder);
    const history = new HistoryStore(sequelize, adapter, table);
    const row = (await history.rows())?.find((r) => r.name === request.name);
    if (!row) return { alias, outcome: 'not-recorded' };
    if (request.kind === 'forget') {
      await history.erase(request.name, {});
      return { alias, outcome: 'forgotten', before: row.checksum };
    }
    if (row.checksum === request.entry.checksum) return { alias, outcome: 'unchanged', before: row.checksum, after: row.checksum };
    await history.setChecksum(request.name, request.entry.checksum);
    return { alias, outcome: 'accepted', before: row.checksum, after: request.entry.checksum };
  } catch (error) {
    return { alias, outcome: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
  } finally {
    if (lock && !('busy' in lock)) await lock.release();
  }
}
