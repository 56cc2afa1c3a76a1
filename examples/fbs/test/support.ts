import { databasesFromEnv, type DatabaseConfig, type Project } from '@fbs/core';
import { adminQuery, createDatabases, dropDatabases, queryDatabase, testServer } from '../../../test/harness/postgres';
import { createFbsProject } from '../src';
import { Migrator } from '@fbs/migrate';

/** A test FBS platform on the test server: fresh system and licensing databases, solutions created on demand. */
export interface FbsTestPlatform {
  readonly project: Project;
  /** Database names behind `default` and `licensing`. */
  readonly system: string;
  readonly licensing: string;
  /** The seed's environment variables pointing at these databases. */
  readonly env: Record<string, string>;
  /** `default` and `licensing` configs, for building other projects on the same databases. */
  readonly databases: { default: DatabaseConfig; licensing: DatabaseConfig };
  /** A solution name unique to this run (`acme_corp` → `acme_corp_p1234`). */
  solution(base: string): string;
  /** Creates (and migrates) both databases of a solution. */
  createSolution(name: string): Promise<void>;
  /** Rows of `table` in database `db`, by direct SQL (not through the SDK). */
  rows(db: string, table: string): Promise<any[]>;
  /** Whether `table` exists in database `db`. */
  hasTable(db: string, table: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Builds the platform: databases created, system databases migrated. */
export async function fbsTestPlatform(prefix: string): Promise<FbsTestPlatform> {
  const server = await testServer();
  const [system, licensing] = await createDatabases(2, prefix);
  const env: Record<string, string> = {
    DB_NAME: system!, DB_USER: server.user, DB_PASSWORD: server.password ?? '', DB_HOST: server.host, DB_PORT: String(server.port),
    LIC_DB_NAME: licensing!, LIC_DB_USER: server.user, LIC_DB_PASSWORD: server.password ?? '', LIC_DB_HOST: server.host, LIC_DB_PORT: String(server.port),
  };
  const project = createFbsProject({ env });
  await migrate(project, 'default');
  await migrate(project, 'licensing');
  const solutionDbs: string[] = [];
  return {
    project, system: system!, licensing: licensing!, env, databases: databasesFromEnv({ env }),
    solution: (base) => `${base}_p${process.pid}`,
    async createSolution(name) {
      for (const db of [`djo_${name}_db`, `fbs_${name}_db`]) {
        await adminQuery(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
        await adminQuery(`CREATE DATABASE "${db}"`);
        solutionDbs.push(db);
        await migrate(project, db);
      }
    },
    rows: (db, table) => queryDatabase(db, `SELECT * FROM "${table}" ORDER BY id`),
    async hasTable(db, table) {
      const found = await queryDatabase(db, `SELECT to_regclass($1) AS t`, [`public.${table}`]);
      return found[0]?.t !== null;
    },
    async close() {
      await project.close();
      await dropDatabases(solutionDbs);
    },
  };
}

/** Brings `alias` to the latest migrations the router allows there. */
async function migrate(project: Project, alias: string): Promise<void> {
  const report = await new Migrator(project).up({ databases: [alias] });
  const failure = report.databases.find((d) => d.error);
  if (failure) throw failure.error;
}
