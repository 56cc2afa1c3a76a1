import type { DatabaseConfig, Project } from '@fbs/core';
import type { TestDatabasesConfig } from './config';
import { migrateWithMigrator, migratorFingerprint } from './default-migrate';
import { quoteIdent, type ServerAdmin } from './server-admin';
import type { TestAlias } from './test-names';
import type { TestServer } from './test-server';

const MARK = 'fbs-testing:';
/** Templates this process has checked, by server and name → the fingerprint they were checked at. */
const verified = new Map<string, string>();

/** Sequelize options of `database` on the test server, from the alias's own options. */
export function testDatabaseConfig(entry: TestAlias, server: TestServer, database: string): DatabaseConfig {
  const { url: _url, dialectOptions, ...rest } = entry.config as typeof entry.config & { url?: string };
  const kept = server.kind === 'config' ? dialectOptions : server.dialectOptions;
  return { ...rest, host: server.host, port: server.port, username: server.user, password: server.password, database, ...(kept ? { dialectOptions: kept } : {}) } as DatabaseConfig;
}

/** The databases map of a project on `pick(entry)` databases (mirrors point at their target's). */
export function databasesOn(entries: readonly TestAlias[], server: TestServer, pick: (entry: TestAlias) => string): Record<string, DatabaseConfig> {
  const byAlias = new Map(entries.map((e) => [e.alias, e]));
  return Object.fromEntries(entries.map((e) => [e.alias, testDatabaseConfig(e, server, pick(e.mirror ? byAlias.get(e.mirror)! : e))]));
}

/** Migrates `aliases` of a fresh project on `databases`, then closes it. */
export async function migrateFresh(config: TestDatabasesConfig, databases: Record<string, DatabaseConfig>, aliases: readonly string[]): Promise<void> {
  const project = config.project(databases);
  try {
    await (config.migrate ?? migrateWithMigrator)(project, aliases);
  } finally {
    await project.close();
  }
}

/**
 * Makes sure every template is migrated to the project's current migrations: a template whose
 * stamp (the database comment) matches the fingerprint is used as is; any other is rebuilt from
 * empty. Runs under a server-wide lock, so parallel workers build each template once.
 * Returns whether a template was (re)built, and the stamps of all of them (what their clones hold).
 */
export async function ensureTemplates(config: TestDatabasesConfig, admin: ServerAdmin, entries: readonly TestAlias[]): Promise<{ rebuilt: boolean; stamp: string }> {
  const real = entries.filter((e) => e.mirror === undefined);
  const databases = databasesOn(entries, admin.server, (e) => e.template!);
  const fingerprints = await templateFingerprints(config, databases, real.map((e) => e.alias));
  const key = (e: TestAlias) => `${admin.server.host}:${admin.server.port}/${e.template}`;
  const stamp = () => real.map((e) => `${e.template}=${verified.get(key(e))}`).join(',');
  if (real.every((e) => fingerprints.get(e.alias) !== undefined && verified.get(key(e)) === fingerprints.get(e.alias))) return { rebuilt: false, stamp: stamp() };
  const rebuilt = await admin.withLock(`templates:${real.map((e) => e.template).join(',')}`, async () => {
    const stale: TestAlias[] = [];
    for (const entry of real) {
      const stamp = fingerprints.get(entry.alias);
      if (stamp === undefined || (await comment(admin, entry.template!)) !== MARK + stamp) stale.push(entry);
    }
    if (stale.length > 0) {
      for (const entry of stale) {
        await admin.drop(entry.template!);
        await admin.create(entry.template!);
      }
      await migrateFresh(config, databases, stale.map((e) => e.alias));
      for (const entry of stale) {
        const stamp = fingerprints.get(entry.alias) ?? `unstamped:${process.pid}`;
        await admin.query('postgres', `COMMENT ON DATABASE ${quoteIdent(entry.template!)} IS '${(MARK + stamp).replace(/'/g, "''")}'`);
      }
    }
    for (const entry of real) verified.set(key(entry), fingerprints.get(entry.alias) ?? `unstamped:${process.pid}`);
    return stale.length > 0;
  });
  return { rebuilt, stamp: stamp() };
}

/** Drops the templates of `entries` (a run's end, unless keepdb). */
export async function dropTemplates(admin: ServerAdmin, entries: readonly TestAlias[]): Promise<void> {
  for (const entry of entries) {
    if (entry.template === undefined) continue;
    await admin.drop(entry.template);
    verified.delete(`${admin.server.host}:${admin.server.port}/${entry.template}`);
  }
}

async function templateFingerprints(config: TestDatabasesConfig, databases: Record<string, DatabaseConfig>, aliases: readonly string[]): Promise<Map<string, string | undefined>> {
  const fingerprint = config.fingerprint ?? (config.migrate === undefined ? migratorFingerprint : undefined);
  const result = new Map<string, string | undefined>();
  if (fingerprint === undefined) {
    // A custom migrate without a fingerprint: rebuilt once per process (the stamp names the process).
    for (const alias of aliases) result.set(alias, `unstamped:${process.pid}`);
    return result;
  }
  const project = config.project(databases);
  try {
    for (const alias of aliases) result.set(alias, await fingerprint(project, alias));
  } finally {
    await project.close();
  }
  return result;
}

async function comment(admin: ServerAdmin, database: string): Promise<string | undefined> {
  const rows = await admin.query<{ comment: string | null }>('postgres', 'SELECT shobj_description(oid, \'pg_database\') AS comment FROM pg_database WHERE datname = $1', [database]);
  return rows[0]?.comment ?? undefined;
}
