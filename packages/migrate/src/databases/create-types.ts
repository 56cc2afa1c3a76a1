import type { DatabaseConfig, FbsError } from '@fbs/core';

/** Options of {@link createMissingDatabases}. */
export interface CreateDatabasesOptions {
  /** Database aliases; default every configured alias. Unknown aliases are an error before anything runs. */
  readonly databases?: readonly string[];
  /**
   * The administrative connection CREATE DATABASE runs on (a URL or options; needs `CREATEDB`), for
   * the aliases on its server (same host and port); its `database` is the maintenance database it
   * connects to. Default (and for aliases on other servers): each alias's own credentials, in the
   * server's `postgres` database.
   */
  readonly admin?: DatabaseConfig;
}

/** What happened to one database. */
export interface DatabaseCreation {
  readonly alias: string;
  /** The database name (from the alias's config). */
  readonly database: string;
  /** `created`; `exists` (it was there already, also when another process created it meanwhile); `failed`. */
  readonly outcome: 'created' | 'exists' | 'failed';
  /** Set when it failed: the server's refusal, or a connection error naming the server (never a password). */
  readonly error?: FbsError | Error;
}

/** Outcome of {@link createMissingDatabases}. */
export interface CreateDatabasesReport {
  readonly databases: DatabaseCreation[];
  /** Number of databases that could not be created. */
  readonly failed: number;
}
