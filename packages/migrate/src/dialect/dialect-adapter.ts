import type { NormalizedDatabaseConfig } from '@fbs/core';
import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/** A held migration lock; `release()` is idempotent and always returns the connection. */
export interface MigrationLock {
  release(): Promise<void>;
}

/** What taking the lock needs. */
export interface LockRequest {
  /** Wait for another holder (true) or give up at once (false). */
  readonly wait: boolean;
  /** Called once when another process holds the lock and we are about to wait for it. */
  readonly onWait: (holder: string | undefined) => void;
}

/** The lock was held by someone else and `wait` was false. */
export interface LockBusy {
  readonly busy: true;
  readonly holder: string | undefined;
}

/**
 * Everything dialect-specific the migrator does: the per-database lock, the history table's SQL,
 * per-transaction settings. PostgreSQL is implemented; MariaDB/MySQL would add `GET_LOCK`-based locks.
 */
export interface DialectAdapter {
  readonly dialect: string;
  /** Whether DDL is transactional (a migration and its history row can commit together). */
  readonly transactionalDdl: boolean;
  /** Takes the per-database migration lock on a dedicated connection. */
  lock(sequelize: Sequelize, key: string, request: LockRequest): Promise<MigrationLock | LockBusy>;
  /** SQL creating the history table if it does not exist. */
  createHistoryTable(table: string): string;
  /** SQL inserting a history row (name, app_label, checksum), doing nothing when it exists. Positional `?` placeholders. */
  insertHistory(table: string): string;
  /** Quotes an identifier. */
  quote(identifier: string): string;
  /** Whether `error` says the table does not exist. */
  isMissingTable(error: unknown): boolean;
  /**
   * Reads the history table (`name`, `checksum`, `applied_at` in applied order) over one short-lived
   * driver connection, without building a Sequelize instance: what makes `status` over a thousand
   * databases fast. Undefined when the table does not exist. Connection errors are thrown as they come.
   */
  readHistory(config: NormalizedDatabaseConfig, table: string): Promise<{ name: string; checksum: string; applied_at: Date }[] | undefined>;
  /** Called at the start of each migration transaction. */
  prepareTransaction(sequelize: Sequelize, transaction: Transaction): Promise<void>;
}
