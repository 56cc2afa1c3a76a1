import type { Project } from '@fbs/core';
import type { MigratorConfig } from './types';

/**
 * Where the solutions (tenants) are: implemented by @fbs/solutions' manager. Lets the CLIs expand
 * `--solution NAME` and `--all-solutions` into database aliases.
 */
export interface SolutionTargets {
  /** Every solution's name. */
  list(): Promise<string[]>;
  /** The database aliases of one solution (e.g. `['djo_acme_db', 'fbs_acme_db']`); unknown names are an error. */
  databases(name: string): Promise<string[]> | string[];
  /** Optional: database names a solution would have, one per kind (lets `check` see where solution apps migrate before any solution exists). */
  exampleDatabases?(): string[];
}

/**
 * The default export of `fbs.config.ts` (or `.js`/`.mjs`/`.cjs`), read by the `fbs-migrate` and
 * `fbs-solutions` CLIs.
 *
 * @example
 * ```ts
 * // fbs.config.ts
 * import { defineConfig } from '@fbs/migrate';
 * export default defineConfig({ project: () => createProject({ databases: databasesFromEnv(), routers, apps }) });
 * ```
 */
export interface FbsCliConfig {
  /** The project, or a function that builds it (called once per CLI run). */
  readonly project: Project | (() => Project | Promise<Project>);
  readonly migrator?: MigratorConfig;
  readonly solutions?: SolutionTargets;
}

/**
 * Types the config in a `.ts` file. Lives in the main entry (it loads nothing of the CLI), so a
 * config file imports it from `@fbs/migrate`.
 *
 * @example
 * ```ts
 * export default defineConfig({ project: () => createProject({ databases, routers, apps }) });
 * ```
 */
export function defineConfig(config: FbsCliConfig): FbsCliConfig {
  return config;
}
