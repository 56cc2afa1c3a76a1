import type { DialectAdapter } from '../dialect-adapter';
import { fenceCheck, fenceSession, fenceTransaction, lockHeld, transactionOptions } from './postgres-fences';
import { classifyPostgresError } from './postgres-errors';
import { createHistoryTableSql, insertHistorySql, readHistoryTable } from './postgres-history';
import { quoteIdentifier } from './postgres-identifiers';
import { SESSION_SETUP, takeLock } from './postgres-migration-lock';

/** PostgreSQL for the migrator: advisory lock on a dedicated pooled connection (polled), advisory fences per migration, transactional DDL. */
export const postgresAdapter: DialectAdapter = Object.freeze({
  dialect: 'postgres',
  transactionalDdl: true,
  lock: takeLock,
  fenceTransaction,
  transactionOptions,
  fenceSession,
  lockHeld,
  fenceCheck,
  sessionSetup: SESSION_SETUP,
  createHistoryTable: createHistoryTableSql,
  insertHistory: insertHistorySql,
  quote: quoteIdentifier,
  isMissingTable: (error: unknown) => classifyPostgresError(error) === 'undefined-table',
  readHistory: readHistoryTable,
});
