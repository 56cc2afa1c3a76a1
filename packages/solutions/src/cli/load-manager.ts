import { loadCliConfig, UsageError, type CliIo } from '@fbs/migrate/cli';
import type { SolutionManager } from '../solution-manager';

/** What a CLI run works on: the manager, and every project to close afterwards. */
export interface LoadedSolutions {
  readonly manager: SolutionManager;
  close(): Promise<void>;
}

/** Loads a manager for a CLI run (the config file's `solutions`, unless a test injects one). */
export type SolutionsLoader = (io: CliIo, config: string | undefined) => Promise<LoadedSolutions>;

const METHODS = ['create', 'drop', 'records', 'migrateAll', 'migrator', 'close'] as const;

/**
 * The default loader: the `fbs.config.*` file of `fbs-migrate` (see `loadCliConfig`), whose
 * `solutions` must be a `SolutionManager`.
 *
 * @example
 * ```ts
 * // fbs.config.ts
 * const project = createProject({ databases: databasesFromEnv(), routers, apps });
 * export default defineConfig({ project, solutions: new SolutionManager(project) });
 * ```
 */
export const loadFromConfigFile: SolutionsLoader = async (io, config) => {
  const loaded = await loadCliConfig({ cwd: io.cwd, config });
  const manager = loaded.solutions as unknown as SolutionManager | undefined;
  if (!manager || METHODS.some((m) => typeof (manager as any)[m] !== 'function')) {
    await loaded.project.close();
    throw new UsageError(
      `The config file ${loaded.path} must export \`solutions\`: a SolutionManager of @fbs/solutions, ` +
        `e.g. export default defineConfig({ project, solutions: new SolutionManager(project) }).`,
    );
  }
  return {
    manager,
    close: async () => {
      await manager.close();
      await manager.project.close();
      if (loaded.project !== manager.project) await loaded.project.close();
    },
  };
};
