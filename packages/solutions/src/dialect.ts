import type { AdminSession } from './postgres-admin';

/** Options of {@link SolutionDialect.createDatabase}. */
export interface CreateDatabaseOptions {
  /** Clone this database (its schema and data) instead of the server's default template. */
  readonly template?: string;
  /** The role that owns the new database. */
  readonly owner?: string;
}

/**
 * The dialect-specific statements of solution lifecycles (database creation and cloning, database
 * comments, advisory locks, roles and grants), behind one small internal interface so another
 * server (MariaDB/MySQL) can follow. Names passed in are validated identifiers; every method runs
 * on the session it is given.
 */
export interface SolutionDialect {
  /** The server's version as semver (`15.20.0`), given to Sequelize so new pools skip their version probe. */
  serverVersion(session: AdminSession): Promise<string | undefined>;
  /** Takes (or releases) the lock named `key`; shared locks may overlap each other, not an exclusive one. */
  lock(session: AdminSession, key: string, shared: boolean): Promise<void>;
  unlock(session: AdminSession, key: string, shared: boolean): Promise<void>;
  /** Which of `names` exist on the server. */
  existingDatabases(session: AdminSession, names: readonly string[]): Promise<Set<string>>;
  createDatabase(session: AdminSession, name: string, options?: CreateDatabaseOptions): Promise<void>;
  /** Drops a database (if it exists), disconnecting its sessions. */
  dropDatabase(session: AdminSession, name: string): Promise<void>;
  /** Whether `error` says the template is in use (so cloning is not possible right now). */
  isTemplateBusy(error: unknown): boolean;
  databaseComment(session: AdminSession, name: string): Promise<string | undefined>;
  setDatabaseComment(session: AdminSession, name: string, comment: string): Promise<void>;
  /**
   * Creates a login role with a password verifier (never the password) and marks it with
   * `marker` (a comment), in one transaction. The statement is logged redacted.
   */
  createLoginRole(session: AdminSession, role: string, verifier: string, marker: string): Promise<void>;
  /** Resets an existing role to a plain login role with the password `verifier`. Logged redacted. */
  alterLoginRole(session: AdminSession, role: string, verifier: string): Promise<void>;
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
