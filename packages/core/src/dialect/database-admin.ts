import type { DatabaseErrorCategory } from './error-category';

/** A connection pinned for one administrative operation. */
export interface AdminSession {
  /** Runs SQL (identifiers must already be quoted or validated). `secret` statements are logged redacted. */
  query<R = any>(sql: string, params?: unknown[], options?: { secret?: boolean }): Promise<R[]>;
}

/** Options of {@link DatabaseAdmin.createDatabase}. */
export interface CreateDatabaseOptions {
  /** Clone this database (its schema and data) instead of the server's default template. */
  readonly template?: string;
  /** The role that owns the new database. */
  readonly owner?: string;
}

/**
 * The administrative statements of a dialect: databases (create, clone, drop, comments), session
 * locks, sessions of other clients, roles and grants. Every method runs on the session it is given
 * and checks the identifiers it is given (quoting, length limit) before any SQL.
 */
export interface DatabaseAdmin {
  /** The server's version as semver (`15.20.0`), given to Sequelize so new pools skip their version probe. */
  serverVersion(session: AdminSession): Promise<string | undefined>;
  /** Takes the session lock named `name`, waiting for it; shared locks overlap each other, not an exclusive one. */
  lock(session: AdminSession, name: string, shared: boolean): Promise<void>;
  /** Takes the session lock named `name` if it is free; resolves to whether it did. */
  tryLock(session: AdminSession, name: string, shared: boolean): Promise<boolean>;
  /** Releases a lock {@link lock} took on this session; resolves to whether it was held. */
  unlock(session: AdminSession, name: string, shared: boolean): Promise<boolean>;
  /** Which of `names` exist on the server. */
  existingDatabases(session: AdminSession, names: readonly string[]): Promise<Set<string>>;
  /**
   * Creates database `name` (a clone of `options.template` when given). Rejects when it exists
   * (`duplicate-database`), the template does not (`invalid-catalog-name`) or has sessions (`object-in-use`).
   */
  createDatabase(session: AdminSession, name: string, options?: CreateDatabaseOptions): Promise<void>;
  /** Drops a database if it exists, ending its sessions first; resolves to whether it existed. Refuses the session's own database. */
  dropDatabase(session: AdminSession, name: string): Promise<boolean>;
  /** Ends every other session connected to `database`; resolves to how many it ended. */
  terminateConnections(session: AdminSession, database: string): Promise<number>;
  databaseComment(session: AdminSession, name: string): Promise<string | undefined>;
  setDatabaseComment(session: AdminSession, name: string, comment: string): Promise<void>;
  /**
   * Creates a login role with a password verifier (never the password) and marks it with
   * `marker` (a comment), in one transaction. The statement is logged redacted.
   */
  createLoginRole(session: AdminSession, role: string, verifier: string, marker: string): Promise<void>;
  /** Resets an existing role to a plain login role with the password `verifier`. Logged redacted. */
  alterLoginRole(session: AdminSession, role: string, verifier: string): Promise<void>;
  /** A password verifier for `password` that the server accepts in place of it (PostgreSQL: SCRAM-SHA-256). */
  passwordVerifier(password: string): string;
  /** The role's comment: undefined when the role does not exist, null when it has none. */
  roleComment(session: AdminSession, role: string): Promise<string | null | undefined>;
  roleExists(session: AdminSession, role: string): Promise<boolean>;
  dropRole(session: AdminSession, role: string): Promise<void>;
  /** Takes `CONNECT` (and `TEMPORARY`) on `database` away from PUBLIC: only its owner, superusers and granted roles connect. */
  closeToPublic(session: AdminSession, database: string): Promise<void>;
  /** Lets only `role` (and superusers) connect to `database`; `owner` also makes it the database's owner. */
  restrictConnect(session: AdminSession, database: string, role: string, owner: boolean): Promise<void>;
  /** The databases `role` may connect to (its own, and any whose CONNECT is still open to PUBLIC). */
  connectableDatabases(session: AdminSession, role: string): Promise<string[]>;
  /** Inside a freshly migrated template: compacts it, so every clone copies less. */
  compact(inDatabase: AdminSession): Promise<void>;
  /** Inside a database: lets `role` create objects in the default schema. */
  grantCreate(inDatabase: AdminSession, role: string): Promise<void>;
  /** Inside a database: hands every object `from` owns to `to`, and drops `from`'s schema rights. */
  reassignOwned(inDatabase: AdminSession, from: string, to: string): Promise<void>;
}

/** Options of a {@link ServerAdmin} (`dialect.serverAdmin(config, options)`). */
export interface ServerAdminOptions {
  /** Pooled admin connections at most (default 4). */
  readonly poolSize?: number;
  /** `application_name` of its sessions when the config sets none. */
  readonly applicationName?: string;
  /** `debug` namespace its statements are logged under (default `fbs:dialect:sql`); secrets are redacted. */
  readonly logNamespace?: string;
}

/**
 * Administrative connections to one database server: a small pool to its maintenance database
 * (the config's `database`), sessions holding a lock, and short-lived connections into a database.
 *
 * @example
 * ```ts
 * const admin = dialectFor('postgres').serverAdmin(config);
 * await admin.withLock('fbs_solutions:acme', (session) => admin.dialect.createDatabase(session, 'djo_acme_db'));
 * await admin.close();
 * ```
 */
export interface ServerAdmin {
  /** The statements of this server's dialect. */
  readonly dialect: DatabaseAdmin;
  /** What an error of these connections means (the dialect's `classifyError`). */
  classifyError(error: unknown): DatabaseErrorCategory | undefined;
  /** The maintenance database admin statements run in. */
  readonly maintenanceDatabase: string;
  /** Runs `fn` holding the lock named `name` on a pinned pooled connection (shared locks may overlap each other). */
  withLock<T>(name: string, fn: (session: AdminSession) => Promise<T>, shared?: boolean): Promise<T>;
  /** Runs `fn` on a pooled connection to the maintenance database, without a lock. */
  session<T>(fn: (session: AdminSession) => Promise<T>): Promise<T>;
  /** Runs `fn` on a connection of its own (not pooled) holding the lock named `name`; the lock goes with the connection. */
  withOwnConnection<T>(name: string, fn: (session: AdminSession) => Promise<T>): Promise<T>;
  /** Runs statements in one database of the server on a short-lived connection. */
  inDatabase<T>(database: string, fn: (session: AdminSession) => Promise<T>): Promise<T>;
  /** Closes the admin connections. Idempotent. */
  close(): Promise<void>;
}
