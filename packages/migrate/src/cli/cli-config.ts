import { access } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseConfig, Project } from '@fbs/core';
import { createJiti } from 'jiti';
import type { SeederConfig } from '../seeds/seed-types';
import type { MigratorConfig } from '../types';
import { UsageError } from './usage-error';

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
  /** Optional: creates (or finishes creating) a solution and its databases: what `fbs-migrate db create --solution NAME` calls. */
  create?(name: string): Promise<unknown>;
}

/**
 * The default export of `fbs.config.ts` (or `.js`/`.mjs`/`.cjs`).
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
  /** The administrative connection `fbs-migrate db create` uses (a URL or options with CREATEDB; see `createMissingDatabases`). */
  readonly admin?: DatabaseConfig;
  /** The `Seeder` config of `fbs-migrate seed` (its history table, concurrency). */
  readonly seeder?: SeederConfig;
}

/** A loaded config: the project built, the file it came from. */
export interface LoadedCliConfig {
  readonly path: string;
  readonly project: Project;
  readonly migrator: MigratorConfig;
  readonly solutions: SolutionTargets | undefined;
  readonly admin?: DatabaseConfig;
  readonly seeder?: SeederConfig;
}

/** Options of {@link loadCliConfig}. */
export interface LoadCliConfigOptions {
  /** Directory to look for the default file names in. */
  readonly cwd: string;
  /** An explicit path (relative to `cwd`), as given by `--config`. */
  readonly config?: string;
}

/** File names looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = Object.freeze(['fbs.config.ts', 'fbs.config.mts', 'fbs.config.cts', 'fbs.config.js', 'fbs.config.mjs', 'fbs.config.cjs']);

/** Types the config in a `.ts` file. */
export function defineConfig(config: FbsCliConfig): FbsCliConfig {
  return config;
}

/**
 * Finds and loads the CLI config (TypeScript or JavaScript, through jiti) and builds the project.
 * Problems are {@link UsageError}s that say what to fix (exit code 2).
 *
 * @example
 * ```ts
 * const { project, solutions } = await loadCliConfig({ cwd: process.cwd(), config: options.config });
 * ```
 */
export async function loadCliConfig(options: LoadCliConfigOptions): Promise<LoadedCliConfig> {
  const file = await findConfig(options);
  let loaded: unknown;
  try {
    loaded = await createJiti(file, { interopDefault: true }).import(file, { default: true });
  } catch (error) {
    throw new UsageError(`Cannot load the config file ${file}: ${(error as Error).message}`);
  }
  const config = loaded as Partial<FbsCliConfig> | undefined;
  if (!config || typeof config !== 'object' || config.project === undefined) {
    throw new UsageError(`The config file ${file} must default-export { project } (a Project, or a function returning one), e.g. export default defineConfig({ project: () => createProject({...}) }).`);
  }
  let project: unknown;
  try {
    project = typeof config.project === 'function' ? await config.project() : config.project;
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string') throw error;
    throw new UsageError(`The config file ${file}: building the project failed: ${(error as Error).message}`);
  }
  const p = project as Project | undefined;
  if (!p || typeof p !== 'object' || !p.router || !p.connections || !p.apps) {
    throw new UsageError(`The config file ${file}: \`project\` must be (or return) the result of createProject(), got ${p === null ? 'null' : typeof p}.`);
  }
  const solutions = config.solutions;
  if (solutions !== undefined && (typeof solutions.list !== 'function' || typeof solutions.databases !== 'function')) {
    throw new UsageError(`The config file ${file}: \`solutions\` must have list() and databases(name) (e.g. the @fbs/solutions manager).`);
  }
  return { path: file, project: p, migrator: config.migrator ?? {}, solutions, ...(config.admin != null ? { admin: config.admin } : {}), ...(config.seeder ? { seeder: config.seeder } : {}) };
}

async function findConfig(options: LoadCliConfigOptions): Promise<string> {
  if (options.config !== undefined) {
    const file = path.resolve(options.cwd, options.config);
    if (!(await exists(file))) throw new UsageError(`Config file ${file} (from --config) does not exist.`);
    return file;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(options.cwd, name);
    if (await exists(file)) return file;
  }
  throw new UsageError(
    `No config file found in ${options.cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}). ` +
      `Create fbs.config.ts exporting { project } (see docs/cli.md), or pass --config PATH.`,
  );
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
