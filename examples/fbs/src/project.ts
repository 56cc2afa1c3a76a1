import 'reflect-metadata';
import { createProject, databasesFromEnv, type DatabaseConfig, type Project } from '@fbs/core';
import { solutionHintsFor } from '@fbs/solutions';
import { fbsApp } from './apps/fbs-app/app';
import { licenseApp } from './apps/license-manager/app';
import { solutionApp } from './apps/solution-app/app';
import { solutionErpApp } from './apps/solution-erp/app';
import { FBSDatabaseRouter } from './router';

/** What {@link createFbsProject} takes. */
export interface FbsProjectConfig {
  /** `default` and `licensing` configs. Default: the seed's environment variables (`databasesFromEnv`). */
  readonly databases?: { readonly default: DatabaseConfig; readonly licensing: DatabaseConfig };
  /** Environment to read when `databases` is not given (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The apps of FBS in app order: the order migrations are planned in. */
export const fbsApps = [fbsApp, licenseApp, solutionApp, solutionErpApp] as const;

/**
 * The FBS project: the seed's two system databases, its router and its four apps. Solution
 * databases (`djo_{solution}_db`, `fbs_{solution}_db`) are added by a `SolutionManager` of
 * `@fbs/solutions` (see {@link createFbsPlatform}).
 *
 * @example
 * ```ts
 * const project = createFbsProject();   // DB_* and LIC_DB_* from the environment
 * await project.model(OdooDatabase).create({ name: 'fbs_acme_corp_db', solutionName: 'acme_corp' });
 * ```
 */
export function createFbsProject(config: FbsProjectConfig = {}): Project {
  const databases = config.databases ?? databasesFromEnv({ env: config.env });
  return createProject({
    databases: { default: databases.default, licensing: databases.licensing },
    routers: [new FBSDatabaseRouter()],
    apps: fbsApps,
    // `withSolution(name)` → { solution, database: 'djo_{name}_db' }: the seed's hints, from @fbs/solutions' naming.
    solutionHints: solutionHintsFor(),
  });
}
