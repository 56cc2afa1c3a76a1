import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { advisoryLockKey, type DialectAdapter } from '@fbs/core/dialect';
import type { SeedEntry } from './seed-entry';

/** One row of a database's seed history. */
export interface SeedRow {
  readonly name: string;
  readonly checksum: string;
  /** How many times it ran (more than 1 only with `always`). */
  readonly runs: number;
  readonly ranAt: Date;
}

/**
 * A database's seed history table (PostgreSQL): which seeds ran there. Every write happens in the
 * seed's own transaction, after {@link lock}, so a seed and its record commit (or roll back) together
 * and two seeders never run one seed twice.
 */
export class SeedHistory {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly adapter: DialectAdapter,
    private readonly table: string,
  ) {}

  /** The rows, or undefined when the table does not exist (nothing was ever seeded there). */
  async rows(transaction?: Transaction): Promise<SeedRow[] | undefined> {
    try {
      const rows = await this.sequelize.query<{ name: string; checksum: string; runs: number; ran_at: Date }>(
        `SELECT name, checksum, runs, ran_at FROM ${this.#quoted} ORDER BY id`,
        { type: QueryTypes.SELECT, transaction: transaction ?? (null as any) },
      );
      return rows.map((r) => ({ name: r.name, checksum: r.checksum.trim(), runs: Number(r.runs), ranAt: r.ran_at }));
    } catch (error) {
      if (this.adapter.isMissingTable(error)) return undefined;
      throw error;
    }
  }

  /**
   * In `transaction`: waits for the database's seed lock (released by the commit or rollback), then
   * creates the table if it does not exist. Seeds of one database run one at a time across processes.
   */
  async lock(transaction: Transaction): Promise<void> {
    await this.sequelize.query('SELECT pg_advisory_xact_lock(?::bigint)', { replacements: [advisoryLockKey(`fbs-seed:${this.table}`)], transaction });
    await this.sequelize.query(
      `CREATE TABLE IF NOT EXISTS ${this.#quoted} (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, ` +
        'app_label VARCHAR(63) NOT NULL, checksum CHAR(64) NOT NULL, runs INTEGER NOT NULL DEFAULT 1, ran_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      { transaction },
    );
  }

  /** Whether `name` is recorded (read in `transaction`, after {@link lock}). */
  async has(name: string, transaction: Transaction): Promise<boolean> {
    const rows = await this.sequelize.query(`SELECT 1 FROM ${this.#quoted} WHERE name = ?`, { replacements: [name], type: QueryTypes.SELECT, transaction });
    return rows.length > 0;
  }

  /** Records a run of `entry` in `transaction`: a new row, or (a rerun with `always`) one more run. */
  async record(entry: SeedEntry, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO ${this.#quoted} (name, app_label, checksum) VALUES (?, ?, ?) ` +
        `ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, runs = ${this.#quoted}.runs + 1, ran_at = now()`,
      { replacements: [entry.name, entry.appLabel, entry.checksum], transaction },
    );
  }

  get #quoted(): string {
    return this.adapter.quote(this.table);
  }
}
