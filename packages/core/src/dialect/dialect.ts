import type { DatabaseConfig, NormalizedDatabaseConfig } from '../database-config';
import type { DatabaseAdmin, ServerAdmin, ServerAdminOptions } from './database-admin';
import type { DialectAdapter } from './dialect-adapter';
import type { DatabaseErrorCategory } from './error-category';
import type { CatalogueStatements } from './catalogue-statements';

/** A short-lived driver connection of {@link Dialect.connect}. */
export interface DriverConnection {
  /** Runs one statement with positional parameters; resolves to its rows. */
  query<R = any>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Closes the connection. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link Dialect.connect}. */
export interface ConnectOptions {
  /** Connect to this database of the server instead of the config's. */
  readonly database?: string;
  /** `application_name` when the config sets none. */
  readonly applicationName?: string;
}

/**
 * Everything the SDK knows about one SQL dialect, in one object (Kysely's `Dialect`): identifier
 * rules, error classification, how a database config becomes a driver connection, the
 * administrative statements (databases, locks, roles) and the migrator's adapter.
 * One implementation per folder beside `postgres/`; look one up with `dialectFor(name)`.
 */
export interface Dialect {
  /** The Sequelize dialect name (`postgres`). */
  readonly name: string;
  /** Longest identifier in bytes (UTF-8) the server keeps as given. */
  readonly maxIdentifierBytes: number;
  /** Whether `CREATE DATABASE` can clone a prepared database (templates). */
  readonly supportsDatabaseTemplates: boolean;
  /** Quotes an identifier (any text but NUL). */
  quoteIdentifier(name: string): string;
  /** Quotes a string literal, for DDL that takes no parameters. */
  quoteLiteral(text: string): string;
  /** Returns `name` when it fits {@link maxIdentifierBytes}; else a ConfigurationError naming it, its length and the limit. `what` names it (`Database name`). */
  checkIdentifier(name: string, what?: string): string;
  /** What a driver or Sequelize error means, or undefined when the dialect does not know it. */
  classifyError(error: unknown): DatabaseErrorCategory | undefined;
  /** The driver's client options for a database config (URL or options): the one mapping the SDK uses everywhere. */
  clientConfig(alias: string, config: DatabaseConfig | NormalizedDatabaseConfig, options?: ConnectOptions): object;
  /** Opens one driver connection (no Sequelize); close it when done. */
  connect(alias: string, config: DatabaseConfig | NormalizedDatabaseConfig, options?: ConnectOptions): Promise<DriverConnection>;
  /** The administrative statements. */
  readonly admin: DatabaseAdmin;
  /** Administrative connections to the server of `config` (its `database` is the maintenance database). */
  serverAdmin(config: NormalizedDatabaseConfig, options?: ServerAdminOptions): ServerAdmin;
  /** The statements of the solutions catalogue table `table`. */
  catalogueStatements(table: string): CatalogueStatements;
  /** The migrator's adapter (locks, fences, history table). */
  readonly adapter: DialectAdapter;
}
