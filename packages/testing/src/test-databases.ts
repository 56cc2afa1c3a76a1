import type { DatabaseConfig, Project } from '@fbs/core';
import type { TestDatabasesConfig } from './config';
import { ServerAdmin } from './server-admin';
import { forgetParked, park, takeParked } from './recycled-clones';
import { databasesOn, dropTemplates, ensureTemplates, migrateFresh } from './templates';
import { beginIsolation, type IsolateOptions, type TestIsolation } from './test-isolation';
import { resolveTestAliases, type TestAlias } from './test-names';
import { findTestServer, releaseTestServer, type TestServer } from './test-server';

/** Options of `teardown()`. */
export interface TeardownOptions {
  /** Also drop the templates (the end of a whole run; default false: other workers or suites may still clone them). Never with keepdb. */
  readonly templates?: boolean;
}

/**
 * The test databases of one run (or worker): the user's project on them, per-test isolation, and
 * teardown. Made by {@link setupTestDatabases}.
 */
export class TestDatabases {
  /** The user's project, on the test databases. */
  readonly project: Project;
  /** The databases map the project was built with (alias → test database config). */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** Alias → test database name (a mirror maps to its target's). */
  readonly names: Readonly<Record<string, string>>;
  readonly server: TestServer;
  /** Administrative access to the test server (direct connections, for assertions). */
  readonly admin: ServerAdmin;
  /**
   * How the databases were made: cloned from templates, migrated from empty, reused from an earlier
   * run (keepdb), or recycled: the clean clones an earlier suite of this process left (see `teardown()`).
   */
  readonly provisioned: 'template' | 'migrated' | 'reused' | 'recycled';
  readonly #config: TestDatabasesConfig;
  readonly #entries: readonly TestAlias[];
  readonly #stamp: string | undefined;
  /** Aliases queried outside a test transaction: their databases may hold committed rows. */
  readonly #dirty = new Set<string>();
  #quiet = 0;
  #current: TestIsolation | undefined;
  #closed = false;

  /** @internal use {@link setupTestDatabases} */
  constructor(config: TestDatabasesConfig, entries: readonly TestAlias[], admin: ServerAdmin, provisioned: TestDatabases['provisioned'], stamp?: string) {
    this.#config = config;
    this.#entries = entries;
    this.#stamp = stamp;
    this.admin = admin;
    this.server = admin.server;
    this.provisioned = provisioned;
    this.databases = Object.freeze(databasesOn(entries, admin.server, (e) => e.database));
    this.names = Object.freeze(Object.fromEntries(entries.map((e) => [e.alias, e.mirror ? entries.find((t) => t.alias === e.mirror)!.database : e.database])));
    this.project = config.project({ ...this.databases });
    const aliases = new Set(this.aliases());
    this.project.access.addGuard((alias) => {
      if (this.#quiet === 0 && aliases.has(alias) && this.project.access.outerTransaction(alias) === undefined) this.#dirty.add(alias);
    });
  }

  /**
   * Marks the databases as holding committed rows, so `teardown()` drops them instead of handing
   * them to the next suite. Queries through the project outside a test transaction mark them on
   * their own; call this after writing over connections of your own.
   */
  markDirty(): void {
    for (const alias of this.aliases()) this.#dirty.add(alias);
  }

  /** @internal Runs the isolation's own statements (BEGIN, ROLLBACK) without marking anything dirty. */
  async quietly<T>(fn: () => Promise<T>): Promise<T> {
    this.#quiet++;
    try {
      return await fn();
    } finally {
      this.#quiet--;
    }
  }

  /** The aliases of the run (mirrors included). */
  aliases(): string[] {
    return this.#entries.map((e) => e.alias);
  }

  /** The alias `alias` mirrors, if it is a mirror. */
  mirrorOf(alias: string): string | undefined {
    return this.#entries.find((e) => e.alias === alias)?.mirror;
  }

  /**
   * Starts one test's isolation: a transaction on every declared alias (rolled back by `end()`),
   * a guard that refuses the other aliases, fixtures. One test at a time per run.
   *
   * @example
   * ```ts
   * const test = await db.isolate({ title: 'creates a license', databases: ['default', 'licensing'] });
   * try { … } finally { await test.end(); }
   * ```
   */
  async isolate(options: IsolateOptions = {}): Promise<TestIsolation> {
    if (this.#closed) throw new Error('isolate(): the test databases were torn down.');
    if (this.#current && !this.#current.ended) throw new Error(`isolate(): test "${this.#current.title}" is still running; end() it first (one test at a time per TestDatabases).`);
    this.#current = await beginIsolation(this, options);
    return this.#current;
  }

  /**
   * Closes the project and drops the test databases (kept with keepdb). Clean clones — every query
   * of the suite ran inside rolled-back test transactions — are kept for the next suite of this
   * process instead (dropped by `teardown({ templates: true })` or `dropTestTemplates()`).
   * `templates: true` (the end of a run) drops them and the templates.
   */
  async teardown(options: TeardownOptions = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#current && !this.#current.ended) await this.#current.end();
    await this.project.close();
    if (!keepdb(this.#config)) {
      const real = this.#entries.filter((e) => e.mirror === undefined).map((e) => e.database);
      if (this.#stamp !== undefined && this.#dirty.size === 0 && !options.templates) park(this.admin, real, this.#stamp);
      else {
        forgetParked(this.admin, real);
        for (const database of real) await this.admin.drop(database);
      }
      if (options.templates) await dropTemplates(this.admin, this.#entries);
    }
    await releaseTestServer(this.server);
  }
}

function keepdb(config: TestDatabasesConfig): boolean {
  return config.keepdb ?? process.env.FBS_TEST_KEEPDB === '1';
}

/**
 * Creates the test databases of the user's project (Django's `setup_databases`): one per alias
 * (mirrors share their target's), on the server of the user's env or an embedded one, cloned from
 * a template migrated once (per fingerprint of the migrations), so fifty suites do not migrate
 * fifty times. With keepdb, existing test databases are reused and only migrated forward.
 *
 * @example
 * ```ts
 * const db = await setupTestDatabases({ databases: databasesFromEnv(), project: (databases) => createAppProject(databases) });
 * await db.project.model(SolutionLicense).count();
 * await db.teardown();
 * ```
 */
export async function setupTestDatabases(config: TestDatabasesConfig): Promise<TestDatabases> {
  const entries = resolveTestAliases(config);
  const server = await findTestServer(entries.find((e) => e.alias === 'default')?.config ?? entries[0]!.config, config.server);
  const admin = new ServerAdmin(server);
  try {
    const real = entries.filter((e) => e.mirror === undefined);
    const databases = databasesOn(entries, server, (e) => e.database);
    let provisioned: TestDatabases['provisioned'];
    if (keepdb(config) && (await Promise.all(real.map((e) => admin.exists(e.database)))).every(Boolean)) {
      await migrateFresh(config, databases, real.map((e) => e.alias));
      provisioned = 'reused';
    } else if (config.templates === false) {
      for (const entry of real) {
        await admin.drop(entry.database);
        await admin.create(entry.database);
      }
      await migrateFresh(config, databases, real.map((e) => e.alias));
      provisioned = 'migrated';
    } else {
      const { stamp } = await ensureTemplates(config, admin, entries);
      if (!takeParked(admin, real.map((e) => e.database), stamp)) {
        for (const entry of real) {
          await admin.drop(entry.database);
          await admin.create(entry.database, entry.template);
        }
        provisioned = 'template';
      } else provisioned = 'recycled';
      return new TestDatabases(config, entries, admin, provisioned, stamp);
    }
    return new TestDatabases(config, entries, admin, provisioned);
  } catch (error) {
    await releaseTestServer(server);
    throw error;
  }
}

/**
 * Builds (or checks) the templates of `config` once, before workers start: a run's global setup
 * (vitest `globalSetup`, jest `globalSetup`, mocha `mochaGlobalSetup`). Workers then only clone.
 * When the server is an embedded one, it keeps running until {@link dropTestTemplates} and its
 * admin URL is put in `FBS_TEST_DATABASE_URL`, so the workers (started after) use the same server.
 * Returns whether a template was (re)built.
 */
export async function prepareTestTemplates(config: TestDatabasesConfig): Promise<boolean> {
  const entries = resolveTestAliases(config);
  const server = await findTestServer(entries.find((e) => e.alias === 'default')?.config ?? entries[0]!.config, config.server);
  let kept = false;
  try {
    const { rebuilt } = await ensureTemplates(config, new ServerAdmin(server), entries);
    if (server.kind === 'embedded') {
      const auth = encodeURIComponent(server.user) + (server.password ? `:${encodeURIComponent(server.password)}` : '');
      process.env.FBS_TEST_DATABASE_URL = `postgres://${auth}@${server.host}:${server.port}/postgres`;
      sharedEmbedded = server;
      kept = true;
    }
    return rebuilt;
  } finally {
    if (!kept) await releaseTestServer(server);
  }
}

/** The embedded server a global setup shares with its workers. */
let sharedEmbedded: TestServer | undefined;

/**
 * Drops the templates of `config` and the clones suites left for reuse, this process's and every
 * worker's (`…_w<id>`): a run's global teardown, when workers set up their own test databases.
 * Nothing is dropped with keepdb.
 */
export async function dropTestTemplates(config: TestDatabasesConfig): Promise<void> {
  if (keepdb(config)) return;
  const entries = resolveTestAliases(config);
  const server = await findTestServer(entries.find((e) => e.alias === 'default')?.config ?? entries[0]!.config, config.server);
  const admin = new ServerAdmin(server);
  try {
    const real = entries.filter((e) => e.mirror === undefined);
    forgetParked(admin, real.map((e) => e.database));
    for (const entry of real) {
      const base = entry.template!.slice(0, -'_template'.length);
      const clones = await admin.query<{ datname: string }>('postgres', 'SELECT datname FROM pg_database WHERE datname = $1 OR datname = $2 OR starts_with(datname, $3)', [entry.database, base, `${base}_w`]);
      for (const { datname } of clones) await admin.drop(datname);
    }
    await dropTemplates(admin, entries);
  } finally {
    await releaseTestServer(server);
    if (sharedEmbedded !== undefined) {
      const shared = sharedEmbedded;
      sharedEmbedded = undefined;
      delete process.env.FBS_TEST_DATABASE_URL;
      await releaseTestServer(shared);
    }
  }
}
