import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { QueryTypes } from 'sequelize';
import type { UmzugStorage } from 'umzug';
import type { DialectAdapter } from '@fbs/core/dialect';
import type { MigrationEntry } from './migration-entry';

/** One row of a database's history table. */
export interface HistoryRow {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

/** Where a history statement runs: in a migration's transaction, or on a fenced session's Sequelize. */
export interface HistoryTarget {
  readonly transaction?: Transaction;
  readonly sequelize?: Sequelize;
}

/**
 * A database's history table, and umzug's storage for it. The runner writes and deletes rows
 * itself, under the migration's fence ({@link record}, {@link erase}): in the migration's own
 * transaction, or on the session a `transaction: false` migration ran on. umzug's `logMigration`
 * and `unlogMigration` are therefore no-ops. A row that exists already is an error (unique name),
 * never silently ignored.
 */
export class HistoryStore implements UmzugStorage {
  readonly #sequelize: Sequelize;
  readonly #adapter: DialectAdapter;
  readonly #table: string;

  constructor(sequelize: Sequelize, adapter: DialectAdapter, table: string) {
    this.#sequelize = sequelize;
    this.#adapter = adapter;
    this.#table = table;
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

  /** Whether `name` has a row, read where `target` says (a fresh snapshot: call it under the fence). */
  async has(name: string, target: HistoryTarget): Promise<boolean> {
    const rows = await (target.sequelize ?? this.#sequelize).query(`SELECT 1 FROM ${this.#adapter.quote(this.#table)} WHERE name = ?`, {
      replacements: [name],
      type: QueryTypes.SELECT,
      transaction: target.transaction ?? (null as any),
    });
    return rows.length > 0;
  }

  /** Writes the row of `entry` where `target` says. Fails if it exists. */
  async record(entry: MigrationEntry, target: HistoryTarget): Promise<void> {
    await (target.sequelize ?? this.#sequelize).query(this.#adapter.insertHistory(this.#table), {
      replacements: [entry.name, entry.appLabel, entry.checksum],
      transaction: target.transaction ?? (null as any),
    });
  }

  /** Deletes the row of `name` where `target` says. */
  async erase(name: string, target: HistoryTarget): Promise<void> {
    await (target.sequelize ?? this.#sequelize).query(`DELETE FROM ${this.#adapter.quote(this.#table)} WHERE name = ?`, {
      replacements: [name],
      transaction: target.transaction ?? (null as any),
    });
  }

  /** Sets the checksum recorded for `name` (`history accept`: an edited migration's edit is accepted). */
  async setChecksum(name: string, checksum: string): Promise<void> {
    await this.#sequelize.query(`UPDATE ${this.#adapter.quote(this.#table)} SET checksum = ? WHERE name = ?`, { replacements: [checksum, name], transaction: null as any });
  }

  // umzug storage contract
  async executed(): Promise<string[]> {
    return ((await this.rows()) ?? []).map((r) => r.name);
  }

  /** No-op: the runner wrote the row under the migration's fence. */
  async logMigration(): Promise<void> {}

  /** No-op: the runner deleted the row under the migration's fence. */
  async unlogMigration(): Promise<void> {}
}
