import { databasesFromEnv, type DatabaseConfig, type Project } from '@fbs/core';
import type { SolutionManager } from '@fbs/solutions';
import { createDatabases, dropDatabases, queryDatabase, testServer } from '../../../test/harness/postgres';
import { createFbsPlatform, type FbsPlatform } from '../src';

/** A test FBS platform on the test server: fresh system and licensing databases, solutions created on demand. */
export interface FbsTestPlatform {
  readonly platform: FbsPlatform;
  readonly project: Project;
  readonly solutions: SolutionManager;
  /** Database names behind `default` and `licensing`. */
  readonly system: string;
  readonly licensing: string;
  /** The seed's environment variables pointing at these databases. */
  readonly env: Record<string, string>;
  /** `default` and `licensing` configs, for building other projects on the same databases. */
  readonly databases: { default: DatabaseConfig; licensing: DatabaseConfig };
  /** A solution name unique to this platform and run (`acme_corp` → `acme_corp_fbsarch1234`). */
  solution(base: string): string;
  /** Creates (and migrates) both databases of a solution through the SolutionManager. */
  createSolution(name: string): Promise<void>;
  /** Rows of `table` in database `db`, by direct SQL (not through the SDK). */
  rows(db: string, table: string): Promise<any[]>;
  /** Whether `table` exists in database `db`. */
  hasTable(db: string, table: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The seed's variables for two databases of the test server. */
export async function seedEnv(system: string, licensing: string): Promise<Record<string, string>> {
  const server = await testServer();
  const vars = (prefix: string, name: string) => ({
    [`${prefix}NAME`]: name, [`${prefix}USER`]: server.user, [`${prefix}PASSWORD`]: server.password ?? '',
    [`${prefix}HOST`]: server.host, [`${prefix}PORT`]: String(server.port),
  });
  return { ...vars('DB_', system), ...vars('LIC_DB_', licensing) };
}

/** Builds the platform: databases created, system databases migrated (Phase 1 and 2). */
export async function fbsTestPlatform(prefix: string): Promise<FbsTestPlatform> {
  const [system, licensing] = await createDatabases(2, prefix);
  const env = await seedEnv(system!, licensing!);
  // Templates off: template databases have fixed names, shared by every project on the test server.
  const platform = createFbsPlatform({ env, solutions: { templates: false } });
  for (const alias of ['licensing', 'default']) {
    const report = await platform.migrator.up({ databases: [alias] });
    if (report.failed) throw report.databases.find((d) => d.error)!.error;
  }
  const solutionDbs: string[] = [];
  return {
    platform, project: platform.project, solutions: platform.solutions, system: system!, licensing: licensing!, env,
    databases: databasesFromEnv({ env }),
    solution: (base) => `${base}_${prefix}${process.pid}`,
    async createSolution(name) {
      solutionDbs.push(`djo_${name}_db`, `fbs_${name}_db`);
      await platform.solutions.create(name);
    },
    rows: (db, table) => queryDatabase(db, `SELECT * FROM "${table}" ORDER BY id`),
    async hasTable(db, table) {
      const found = await queryDatabase(db, `SELECT to_regclass($1) AS t`, [`public.${table}`]);
      return found[0]?.t !== null;
    },
    async close() {
      await platform.close();
      await dropDatabases(solutionDbs);
    },
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to be refused');
}
