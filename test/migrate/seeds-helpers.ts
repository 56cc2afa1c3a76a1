import { createProject, type MigrationModule, type Project } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';
import { seedRouter } from './helpers';

export { seedRouter };

/** A migration creating table `table` with a `name` column. */
export function namedTable(table: string): MigrationModule {
  return {
    name: '0001_initial',
    up: ({ queryInterface, transaction }) => queryInterface.createTable(table, { id: { type: 'SERIAL', primaryKey: true } as any, name: { type: 'VARCHAR(255)' } as any }, { transaction }),
    down: ({ queryInterface, transaction }) => queryInterface.dropTable(table, { transaction }),
  };
}

const reusable = new Map<string, string[]>();

/**
 * Empty databases for `aliases` (prefix `seed`), alias → database name, and URLs with a password that
 * must never be shown. Created once per set of aliases and run, emptied on later calls (creating
 * databases is what makes a busy server slow).
 */
export async function seedDatabases(aliases: readonly string[]): Promise<{ names: Record<string, string>; urls: Record<string, string> }> {
  const server = await testServer();
  const key = aliases.join(',');
  let physical = reusable.get(key);
  if (physical) {
    for (const name of physical) await queryDatabase(name, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } else {
    physical = await createDatabases(aliases.length, 'seed');
    reusable.set(key, physical);
  }
  const names = Object.fromEntries(aliases.map((alias, i) => [alias, physical![i]!]));
  // The test server trusts local connections, so the password is ignored by the server; it must still never be printed.
  const urls = Object.fromEntries(aliases.map((alias) => [alias, server.url(names[alias]!).replace('postgres://postgres@', `postgres://postgres:${SECRET}@`)]));
  return { names, urls };
}

export const SECRET = 's3cret-seed-pw';

/** A project over `urls` with the seed's router, migrated (`up` on every alias). */
export async function migratedProject(urls: Record<string, string>, apps: Parameters<typeof createProject>[0]['apps']): Promise<Project> {
  const project = createProject({ databases: urls, routers: [seedRouter], apps });
  const report = await new Migrator(project).up();
  if (report.failed) throw report.databases.find((d) => d.error)!.error;
  return project;
}

/** `name` column values of `table` in `database`, sorted. */
export async function names(database: string, table: string): Promise<string[]> {
  const rows = await queryDatabase<{ name: string }>(database, `SELECT name FROM "${table}" ORDER BY name`);
  return rows.map((r) => r.name);
}

/** The seed history of `database` (name → runs), or undefined when the table does not exist. */
export async function seedHistory(database: string, table = 'fbs_seeds'): Promise<Record<string, number> | undefined> {
  const exists = await queryDatabase(database, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", [table]);
  if (exists.length === 0) return undefined;
  const rows = await queryDatabase<{ name: string; runs: number }>(database, `SELECT name, runs FROM "${table}" ORDER BY id`);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.runs)]));
}
