import { createProject, defineApp, type DatabaseRouter, type MigrationContext, type MigrationModule, type Project } from '@fbs/core';
import { Migrator, type MigratorConfig } from '@fbs/migrate';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

/** The seed's migration routing: licensing app only on `licensing`, core app only on `default`, solution app on solution databases. */
export const seedRouter: DatabaseRouter = {
  allowMigrate(db, appLabel) {
    if (appLabel === 'fbs_license_manager') return db === 'licensing';
    if (appLabel === 'fbs_app') return db === 'default';
    if (appLabel === 'solution_app') return db.startsWith('djo_');
    return null;
  },
};

/** A migration that creates table `table` (and drops it on down). */
export function createTable(name: string, table: string, extra: Partial<MigrationModule> = {}): MigrationModule {
  return {
    name,
    async up({ queryInterface }: MigrationContext) {
      await queryInterface.createTable(table, { id: { type: 'INTEGER', primaryKey: true, autoIncrement: true } as any });
    },
    async down({ queryInterface }: MigrationContext) {
      await queryInterface.dropTable(table);
    },
    ...extra,
  };
}

export interface TestProject {
  readonly project: Project;
  readonly migrator: Migrator;
  /** alias → physical database name. */
  readonly names: Record<string, string>;
  close(): Promise<void>;
}

/** Creates fresh databases for `aliases` and a project over them. */
export async function makeProject(
  aliases: readonly string[],
  apps: Parameters<typeof createProject>[0]['apps'],
  options: { routers?: DatabaseRouter[]; migrator?: MigratorConfig } = {},
): Promise<TestProject> {
  const server = await testServer();
  const physical = await createDatabases(aliases.length, 'mig');
  const names = Object.fromEntries(aliases.map((alias, i) => [alias, physical[i]!]));
  const project = createProject({
    databases: Object.fromEntries(aliases.map((alias) => [alias, server.url(names[alias]!)])),
    routers: options.routers ?? [seedRouter],
    apps,
  });
  const migrator = new Migrator(project, options.migrator);
  return { project, migrator, names, close: () => project.close() };
}

/** Tables in the public schema of a database. */
export async function tables(database: string): Promise<string[]> {
  const rows = await queryDatabase<{ tablename: string }>(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  return rows.map((r) => r.tablename);
}

/** History rows (names in applied order), or undefined when the table does not exist. */
export async function history(database: string, table = 'fbs_migrations'): Promise<string[] | undefined> {
  if (!(await tables(database)).includes(table)) return undefined;
  const rows = await queryDatabase<{ name: string }>(database, `SELECT name FROM "${table}" ORDER BY id`);
  return rows.map((r) => r.name);
}

export { defineApp };
