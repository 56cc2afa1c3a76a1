import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { NormalizedDatabaseConfig } from '../database-config';

/** The server session that holds a migration lock: enough to tell, from any other session, whether it still does. */
export interface LockSession {
  /** Server process id of the session. */
  readonly pid: number;
  /** When that session started (server text form), so a recycled pid is not mistaken for it. */
  readonly backendStart: string;
}

/** A held migration lock; `release()` is idempotent and always returns the connection. */
export interface MigrationLock {
  readonly session: LockSession;
  /**
   * Cancels the statement running on server pid `pid`, from the lock's own session (idle during the
   * run): no connection is taken from the pool, which may be full (a solution pool of 2 is, with the
   * lock and the migration's transaction, and waiting for it would wait for the migration itself).
   */
  cancel(pid: number): Promise<void>;
  release(): Promise<void>;
}

/** What taking the lock needs. */
export interface LockRequest {
  /** Wait for another holder (true) or give up at once (false). */
  readonly wait: boolean;
  /** Give up waiting after this many milliseconds (undefined: wait as long as it takes). */
  readonly timeoutMs?: number;
  /** Stop waiting when aborted (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Called once when another process holds the lock and we are about to wait for it. */
  readonly onWait: (holder: string | undefined) => void;
}

/** The lock was held by someone else: `wait` was false, or `timeoutMs` passed. */
export interface LockBusy {
  readonly busy: true;
  /** Who holds it (server pid, application_name, client, since when), when the server says. */
  readonly holder: string | undefined;
  /** True when we waited `timeoutMs` for it. */
  readonly timedOut: boolean;
}

/**
 * Everything dialect-specific the migrator does: the per-database lock, the per-migration fence,
 * the history table's SQL, per-transaction settings (Kysely's `DialectAdapter`, for our migrator).
 * PostgreSQL is implemented; MariaDB/MySQL would add `GET_LOCK`-based locks.
 */
export interface DialectAdapter {
  readonly dialect: string;
  /** Whether DDL is transactional (a migration and its history row can commit together). */
  readonly transactionalDdl: boolean;
  /**
   * Takes the per-database migration lock on a dedicated connection, waiting (if asked) by polling,
   * so that the waiter holds no snapshot a `CREATE INDEX CONCURRENTLY` would wait for.
   */
  lock(sequelize: Sequelize, key: string, request: LockRequest): Promise<MigrationLock | LockBusy>;
  /**
   * Takes the per-migration fence inside `transaction` (released by its commit or rollback),
   * polling, and prepares the transaction in the same round trip; resolves to the server pid of
   * the transaction's session, when the dialect tells.
   */
  fenceTransaction(sequelize: Sequelize, key: string, transaction: Transaction, signal?: AbortSignal): Promise<number | undefined>;
  /** Options for a migration's transaction: READ COMMITTED, said explicitly only when it is not already the default (one round trip less). */
  transactionOptions(sequelize: Sequelize): Promise<{ isolationLevel?: Transaction.ISOLATION_LEVELS }>;
  /** Takes the per-migration fence on the session of a one-connection Sequelize; resolves to its release. */
  fenceSession(sequelize: Sequelize, key: string, signal?: AbortSignal): Promise<() => Promise<void>>;
  /** Whether `session` still holds the migration lock `key` (asked from another session, inside `transaction` when given). */
  lockHeld(sequelize: Sequelize, key: string, session: LockSession, transaction?: Transaction): Promise<boolean>;
  /** Under the fence, in one round trip: whether `session` still holds lock `key`, and whether history `table` records `name`. */
  fenceCheck(sequelize: Sequelize, key: string, session: LockSession, table: string, name: string, transaction?: Transaction): Promise<{ held: boolean; recorded: boolean }>;
  /** Statements run on each new connection of a fenced session (keeps it alive while it idles between statements). */
  readonly sessionSetup: string;
  /** SQL creating the history table if it does not exist. */
  createHistoryTable(table: string): string;
  /** SQL inserting a history row (name, app_label, checksum); a row that exists already is an error. Positional `?` placeholders. */
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
  readHistory(alias: string, config: NormalizedDatabaseConfig, table: string): Promise<{ name: string; checksum: string; applied_at: Date }[] | undefined>;
}
