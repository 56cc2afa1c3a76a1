import type { HistoryRow } from './history-store';
import type { MigrationEntry } from './migration-entry';
import type { DatabaseStatus, MigrationStatus } from './types';

/** Builds one database's status from its history rows (one query) and its plan. Errors are reported, not thrown. */
export async function databaseStatus(
  alias: string,
  entries: readonly MigrationEntry[],
  plan: readonly MigrationEntry[],
  read: () => Promise<HistoryRow[] | undefined>,
): Promise<DatabaseStatus> {
  let rows;
  try {
    rows = await read();
  } catch (error) {
    return { alias, hasHistory: false, migrations: [], error: error instanceof Error ? error : new Error(String(error)) };
  }
  const applied = new Map((rows ?? []).map((r) => [r.name, r]));
  const planned = new Set(plan.map((e) => e.name));
  const migrations: MigrationStatus[] = entries.map((entry) => {
    const row = applied.get(entry.name);
    if (row) {
      return { name: entry.name, state: 'applied', appliedAt: row.appliedAt, ...(row.checksum !== entry.checksum ? { checksumMismatch: true } : {}) };
    }
    return { name: entry.name, state: planned.has(entry.name) ? 'pending' : 'not-routed' };
  });
  const known = new Set(entries.map((e) => e.name));
  for (const row of rows ?? []) {
    if (!known.has(row.name)) migrations.push({ name: row.name, state: 'unknown', appliedAt: row.appliedAt });
  }
  return { alias, hasHistory: rows !== undefined, migrations };
}
