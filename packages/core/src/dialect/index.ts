/**
 * `@fbs/core/dialect`: the SDK's one dialect module — quoting and identifier limits, advisory locks
 * (one key scheme), error classification, the database config → driver client mapping, database
 * create / clone / drop, sessions, roles and password verifiers, and the migrator's adapter.
 *
 * **Internal to the SDK's packages** (@fbs/migrate, @fbs/solutions, …): not part of the
 * semver-stable API of @fbs/core; its names and shapes may change in any release. Applications
 * should use the packages' public APIs instead.
 *
 * Layout: the contracts (`dialect.ts`, `dialect-adapter.ts`, `database-admin.ts`,
 * `error-category.ts`) and one folder per dialect (`postgres/`, one concept per file); a second
 * dialect is one new folder and one entry in `dialect-for.ts`.
 *
 * @example
 * ```ts
 * import { dialectFor } from '@fbs/core/dialect';
 * const dialect = dialectFor(config.dialect, `Database '${alias}'`);
 * const connection = await dialect.connect(alias, config, { database: 'postgres' });
 * try { await connection.query(`CREATE DATABASE ${dialect.quoteIdentifier(dialect.checkIdentifier(name))}`); }
 * catch (error) { if (dialect.classifyError(error) !== 'duplicate-database') throw error; }
 * finally { await connection.close(); }
 * ```
 *
 * @packageDocumentation
 */
export type { Dialect, DriverConnection, ConnectOptions } from './dialect';
export type { DialectAdapter, LockBusy, LockRequest, LockSession, MigrationLock } from './dialect-adapter';
export type { AdminSession, CreateDatabaseOptions, DatabaseAdmin, ServerAdmin, ServerAdminOptions } from './database-admin';
export type { CatalogueStatements } from './catalogue-statements';
export type { DatabaseErrorCategory } from './error-category';
export { RETRYABLE_CATEGORIES, errorChain, errorCodes } from './error-category';
export { SUPPORTED_DIALECTS, dialectFor } from './dialect-for';
export { pollLock, sleep } from './lock-polling';
export type { PollOptions } from './lock-polling';

// PostgreSQL
export { postgresDialect } from './postgres/postgres-dialect';
export { postgresAdapter } from './postgres/postgres-adapter';
export { postgresDatabaseAdmin } from './postgres/postgres-database-admin';
export { PostgresServerAdmin, redactSql } from './postgres/postgres-server-admin';
export { POSTGRES_MAX_IDENTIFIER_BYTES, checkIdentifierLength, quoteIdentifier, quoteLiteral } from './postgres/postgres-identifiers';
export { ADVISORY_LOCK_ROWS, advisoryLockKey, describeLockHolder } from './postgres/postgres-lock-key';
export { fenceKey, runLockKey } from './postgres/postgres-migration-lock';
export { classifyPostgresError } from './postgres/postgres-errors';
export { postgresCatalogueStatements } from './postgres/postgres-catalogue';
export { postgresClientConfig } from './postgres/postgres-client-config';
export type { PostgresClientConfig, PostgresClientOptions } from './postgres/postgres-client-config';
export { postgresDriver } from './postgres/postgres-driver';
export type { PgClient, PgModule, PgPool } from './postgres/postgres-driver';
export { scramSha256Verifier } from './postgres/scram-verifier';
export type { ScramOptions } from './postgres/scram-verifier';
