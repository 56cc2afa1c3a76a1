import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '@fbs/core';
import type { FbsCliConfig, SolutionTargets } from '../fbs-config';
import { createModuleLoader } from '../module-loader';
import type { MigratorConfig } from '../types';
import { UsageError } from './usage-error';

/** A loaded config: the project built, the file it came from. */
export interface LoadedCliConfig {
  readonly path: string;
  readonly project: Project;
  readonly migrator: MigratorConfig;
  readonly solutions: SolutionTargets | undefined;
}

/** Options of {@link loadCliConfig}. */
export interface LoadCliConfigOptions {
  /** Directory to look for the default file names in. */
  readonly cwd: string;
  /** An explicit path (relative to `cwd`), as given by `--config`. */
  readonly config?: string;
}

/** File names looked for in the working directory and the directories above it. */
export const CONFIG_FILE_NAMES = Object.freeze(['fbs.config.ts', 'fbs.config.mts', 'fbs.config.cts', 'fbs.config.js', 'fbs.config.mjs', 'fbs.config.cjs']);

/**
 * Finds and loads the CLI config (TypeScript or JavaScript, ESM or CommonJS; TypeScript compiled by swc with decorator metadata, see {@link createModuleLoader}) and builds the project.
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
    const exported = (await createModuleLoader(file).import(file)) as { default?: unknown } | undefined;
    loaded = exported && typeof exported === 'object' && 'default' in exported ? exported.default : exported;
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
  return { path: file, project: p, migrator: config.migrator ?? {}, solutions };
}

/**
 * The config file: `--config` (relative to `cwd`), else the first directory from `cwd` upwards that
 * holds one of {@link CONFIG_FILE_NAMES}. Two of them in one directory are an error naming both
 * (which one the CLI would read must never depend on a lookup order).
 */
async function findConfig(options: LoadCliConfigOptions): Promise<string> {
  if (options.config !== undefined) {
    const file = path.resolve(options.cwd, options.config);
    if (!(await exists(file))) throw new UsageError(`Config file ${file} (from --config) does not exist.`);
    return file;
  }
  const start = path.resolve(options.cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const found: string[] = [];
    for (const name of CONFIG_FILE_NAMES) if (await exists(path.join(dir, name))) found.push(path.join(dir, name));
    if (found.length > 1) {
      throw new UsageError(`${dir} holds ${found.length} config files: ${found.join(' and ')}. Keep one of them, or pass --config PATH.`);
    }
    if (found.length === 1) return found[0]!;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(
    `No config file found in ${start} or any directory above it (looked for ${CONFIG_FILE_NAMES.join(', ')}). ` +
      `Create fbs.config.ts exporting { project } (see docs/cli.md), or pass --config PATH.`,
  );
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
