import { createProject, type DatabaseRouter, type Project, type App } from '@fbs/core';
import { allApps } from '../fixtures/models';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

export interface TestProject {
  project: Project;
  /** alias → physical database name */
  names: Record<string, string>;
  /** Rows of `table` in the database behind `alias`, read with a direct connection (not through the SDK). */
  rows(alias: string, table: string, where?: string): Promise<any[]>;
  /** Re-creates a project on the same databases with other routers. */
  reroute(routers: DatabaseRouter[]): Project;
  close(): Promise<void>;
}

/**
 * Creates one fresh database per alias, a project over them, and the fixture tables in each
 * (sync, so routing tests do not depend on @fbs/migrate).
 */
export async function setupProject(aliases: string[], routers: DatabaseRouter[] = [], apps: App[] = allApps): Promise<TestProject> {
  const server = await testServer();
  const dbs = await createDatabases(aliases.length, 'core');
  const names = Object.fromEntries(aliases.map((alias, i) => [alias, dbs[i]!]));
  const databases = Object.fromEntries(aliases.map((alias) => [alias, server.url(names[alias]!)]));
  const projects: Project[] = [];
  const make = (r: DatabaseRouter[]) => {
    const p = createProject({ databases, routers: r, apps });
    projects.push(p);
    return p;
  };
  const project = make(routers);
  const bootstrap = createProject({ databases, apps });
  for (const alias of aliases) await bootstrap.connection(alias).sync();
  await bootstrap.close();
  return {
    project,
    names,
    rows: (alias, table, where) => queryDatabase(names[alias]!, `SELECT * FROM "${table}"${where ? ` WHERE ${where}` : ''} ORDER BY 1`),
    reroute: make,
    close: async () => {
      for (const p of projects) await p.close();
    },
  };
}
