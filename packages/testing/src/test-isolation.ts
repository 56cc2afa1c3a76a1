import { ConfigurationError, type Project } from '@fbs/core';
import type { Transaction } from 'sequelize';
import { DatabaseOperationForbiddenError } from './errors';
import { loadFixtures, type Fixtures } from './fixtures';
import { quoteIdent, type ServerAdmin } from './server-admin';
import { trackSolutions, type SolutionSource } from './solution-tracker';

/** What `isolate()` (and `useDatabases` of the mocha plugin) takes for one test. */
export interface IsolateOptions {
  /** The test's name, for error messages. */
  readonly title?: string;
  /**
   * The aliases the test may query (Django's `databases`); any other alias of the run fails with
   * {@link DatabaseOperationForbiddenError}. `'__all__'`: every alias. Default `['default']`.
   * Aliases added at run time (solution databases) are not guarded.
   */
  readonly databases?: readonly string[] | '__all__';
  /**
   * `transaction` (default, Django's `TestCase`): each declared alias runs in a transaction rolled
   * back at the end; the code's own transactions become savepoints. `truncate` (Django's
   * `TransactionTestCase`): real commits, and every table but the migration history is truncated
   * at the end (for code that needs a commit: LISTEN/NOTIFY, other connections, advisory locks).
   */
  readonly isolation?: 'transaction' | 'truncate';
  /** Rows to load (through the routers) on the declared aliases before the test. */
  readonly fixtures?: Fixtures;
  /** A `SolutionManager`: solutions it creates during the test are dropped at its end. */
  readonly solutions?: SolutionSource;
}

/** One running test's isolation. */
export interface TestIsolation {
  readonly title: string;
  /** The aliases the test declared (after `'__all__'` is expanded). */
  readonly databases: readonly string[];
  readonly ended: boolean;
  /** Undoes the test: rolls back (or truncates) its aliases, drops its solutions, removes its guard. Idempotent. */
  end(): Promise<void>;
}

/** What isolation needs from the run. */
export interface IsolationHost {
  readonly project: Project;
  readonly admin: ServerAdmin;
  readonly names: Readonly<Record<string, string>>;
  aliases(): string[];
  mirrorOf(alias: string): string | undefined;
  /** Runs the isolation's own statements without counting them as the suite's. */
  quietly<T>(fn: () => Promise<T>): Promise<T>;
}

/** History tables never truncated. */
const KEPT_TABLES = new Set(['fbs_migrations', 'SequelizeMeta']);

/** Starts one test's isolation (see {@link IsolateOptions}). */
export async function beginIsolation(host: IsolationHost, options: IsolateOptions): Promise<TestIsolation> {
  const { project } = host;
  const title = options.title ?? '(unnamed test)';
  const all = host.aliases();
  const declared = options.databases === '__all__' ? all : [...(options.databases ?? ['default'])];
  for (const alias of declared) {
    if (!all.includes(alias)) throw new ConfigurationError(`Test "${title}" declares database '${alias}', which is not one of the run's aliases (${all.map((a) => `'${a}'`).join(', ')}).`);
  }
  const mode = options.isolation ?? 'transaction';
  if (mode !== 'transaction' && mode !== 'truncate') throw new ConfigurationError(`Test "${title}": isolation must be 'transaction' or 'truncate', got ${JSON.stringify(mode)}.`);
  const opened = new Map<string, Transaction>();
  const targets = [...new Set(declared.map((alias) => host.mirrorOf(alias) ?? alias))];
  const undo: (() => Promise<void>)[] = [];
  try {
    if (mode === 'transaction') {
      await host.quietly(async () => {
        for (const alias of targets) opened.set(alias, await project.connections.get(alias).transaction());
      });
      for (const alias of declared) project.access.setOuterTransaction(alias, opened.get(host.mirrorOf(alias) ?? alias));
    }
    const allowed = new Set(declared);
    const removeGuard = project.access.addGuard((alias, what) => {
      if (!allowed.has(alias) && all.includes(alias)) throw new DatabaseOperationForbiddenError(alias, title, declared, what);
    });
    undo.push(async () => removeGuard());
    if (options.solutions) undo.push(trackSolutions(options.solutions, host.admin));
    if (options.fixtures) await loadFixtures(project, options.fixtures, declared);
  } catch (error) {
    await finish();
    throw error;
  }
  let ended = false;
  async function finish(): Promise<void> {
    for (const alias of declared) project.access.setOuterTransaction(alias, undefined);
    const errors: unknown[] = [];
    for (const step of undo.reverse()) await step().catch((e: unknown) => errors.push(e));
    await host.quietly(async () => {
      for (const transaction of opened.values()) await transaction.rollback().catch((e: unknown) => errors.push(e));
    });
    if (mode === 'truncate') for (const alias of targets) await truncate(host, alias).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  }
  return {
    title,
    databases: declared,
    get ended() {
      return ended;
    },
    async end() {
      if (ended) return;
      ended = true;
      await finish();
    },
  };
}

/** Empties every table of `alias` but the migration history, over a direct connection. */
async function truncate(host: IsolationHost, alias: string): Promise<void> {
  const database = host.names[alias]!;
  const rows = await host.admin.query<{ schemaname: string; tablename: string }>(database, "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
  const tables = rows.filter((r) => !KEPT_TABLES.has(r.tablename)).map((r) => `${quoteIdent(r.schemaname)}.${quoteIdent(r.tablename)}`);
  if (tables.length > 0) await host.admin.query(database, `TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
}
