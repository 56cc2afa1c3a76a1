import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { QueryTypes } from 'sequelize';
import type { UmzugStorage } from 'umzug';
import type { DialectAdapter } from './dialect/dialect-adapter';
import type { MigrationEntry } from './migration-entry';

/** One row of a database's history table. */
export interface HistoryRow {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

/**
 * A database's history table, and umzug's storage for it. Transactional migrations write their
 * row inside their own transaction ({@link record}); umzug's `logMigration` afterwards is then a
 * no-op (`ON CONFLICT DO NOTHING`) and does the write only for `transaction: false` migrations.
 */
export class HistoryStore implements UmzugStorage {
  readonly #sequelize: Sequelize;
  readonly #adapter: DialectAdapter;
  readonly #table: string;
  readonly #entries: ReadonlyMap<string, MigrationEntry>;
  /** Names whose row was already written or deleted in their migration's committed transaction. */
  readonly #settled = new Set<string>();

  constructor(sequelize: Sequelize, adapter: DialectAdapter, table: string, entries: ReadonlyMap<string, MigrationEntry>) {
    this.#sequelize = sequelize;
    this.#adapter = adapter;
    this.#table = table;
    this.#entries = entries;
  }

  /** Creates the table if it does not exist (call under the migration lock). */
  async ensure(): Promise<void> {
    await this.#sequelize.query(this.#adapter.createHistoryTable(this.#table), { transaction: null as any });
  }

  /** The history rows in the order they were applied, or undefined when the table does not exist. */
  async rows(): Promise<HistoryRow[] | undefined> {
    try {
      const rows = await this.#sequelize.query<{ name: string; checksum: string; applied_at: Date }>(
        `SELECT name, checksum, applied_at FROM ${this.#adapter.quote(this.#table)} ORDER BY id`,
        { type: QueryTypes.SELECT, transaction: null as any },
      );
      return rows.map((r) => ({ name: r.name, checksum: r.checksum.trim(), appliedAt: r.applied_at }));
    } catch (error) {
      if (this.#adapter.isMissingTable(error)) return undefined;
      throw error;
    }
  }

  /** Writes the row of `entry` (inside `transaction` when given). */
  async record(entry: MigrationEntry, transaction?: Transaction): Promise<void> {
    await this.#sequelize.query(this.#adapter.insertHistory(this.#table), {
      replacements: [entry.name, entry.appLabel, entry.checksum],
      transaction: transaction ?? (null as any),
    });
  }

  /** Deletes the row of `name` (inside `transaction` when given). */
  async erase(name: string, transaction?: Transaction): Promise<void> {
    await this.#sequelize.query(`DELETE FROM ${this.#adapter.quote(this.#table)} WHERE name = ?`, {
      replacements: [name],
      transaction: transaction ?? (null as any),
    });
  }

  /** Notes that `name`'s row was written/deleted in its migration's transaction, which committed. */
  settled(name: string): void {
    this.#settled.add(name);
  }

  // umzug storage contract
  async executed(): Promise<string[]> {
    return ((await this.rows()) ?? []).map((r) => r.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    if (this.#settled.delete(name)) return;
    await this.record(this.#entries.get(name)!);
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    if (this.#settled.delete(name)) return;
    await this.erase(name);
  }
}
