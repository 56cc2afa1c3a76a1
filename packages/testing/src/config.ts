import type { DatabaseConfig, Project } from '@fbs/core';
import type { TestServerChoice } from './test-server';

/** Django's `TEST` settings of one alias. */
export interface TestAliasConfig {
  /** The test database's name. Default: the prefix + the configured database's name (`test_fbs_system_db`). */
  readonly name?: string;
  /**
   * Another alias this one mirrors in tests (Django's `MIRROR`, for replicas): no database is
   * created for it, it uses the mirrored alias's test database, and inside a test it shares that
   * alias's transaction, so it reads what the test wrote.
   */
  readonly mirror?: string;
}

/**
 * What `setupTestDatabases(config)` takes: the user's databases and how to build their project.
 *
 * @example
 * ```ts
 * const config: TestDatabasesConfig = {
 *   databases: databasesFromEnv(),                       // the app's own aliases
 *   project: (databases) => createAppProject(databases), // the app's project, on the test databases
 *   test: { replica: { mirror: 'default' } },
 * };
 * ```
 */
export interface TestDatabasesConfig {
  /** The project's databases, as in `ProjectConfig.databases`. Their names give the test databases' names. */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** Builds the user's project on the given (test) databases. Called for templates and for the tests. */
  readonly project: (databases: Record<string, DatabaseConfig>) => Project;
  /** Per-alias test settings (names, mirrors). */
  readonly test?: Readonly<Record<string, TestAliasConfig>>;
  /** Prefix of test database names. Default `test_`. */
  readonly prefix?: string;
  /** Reuse the test databases of an earlier run, migrating them forward, and keep them (Django's `--keepdb`). Default: `FBS_TEST_KEEPDB=1`. */
  readonly keepdb?: boolean;
  /** Clone each test database from a migrated template (default `true`); `false` migrates every test database from empty. */
  readonly templates?: boolean;
  /** The server: `auto` (default: FBS_TEST_DATABASE_URL, the `default` alias's server, PG*, else embedded), `embedded`, or an admin URL. */
  readonly server?: TestServerChoice;
  /**
   * Suffix of this worker's test databases, so parallel workers never share one. Default: the
   * runner's worker id (`VITEST_POOL_ID`, `JEST_WORKER_ID`, `MOCHA_WORKER_ID`), or none.
   */
  readonly worker?: string;
  /** Brings `aliases` of `project` to the latest schema. Default: `new Migrator(project).up({ databases: aliases })` (@fbs/migrate). */
  readonly migrate?: (project: Project, aliases: readonly string[]) => Promise<unknown>;
  /**
   * A hash of what `migrate` would build on `alias`; a template whose stamp differs is rebuilt.
   * Default: `Migrator.fingerprint(alias)` with the default `migrate`; with a custom `migrate` and no
   * fingerprint, templates are rebuilt once per process.
   */
  readonly fingerprint?: (project: Project, alias: string) => string | Promise<string>;
}

/** The runner's worker id, when tests run in parallel workers. */
export function workerId(): string | undefined {
  return process.env.VITEST_POOL_ID ?? process.env.JEST_WORKER_ID ?? process.env.MOCHA_WORKER_ID;
}
