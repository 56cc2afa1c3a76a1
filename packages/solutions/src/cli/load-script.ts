import { access } from 'node:fs/promises';
import path from 'node:path';
import { createModuleLoader, UsageError } from '@fbs/migrate/cli';
import type { SolutionTask } from '../run-each';

/**
 * Loads the script of `fbs-solutions run SCRIPT` (TypeScript or JavaScript, relative to `cwd`): its
 * default export or its `run` export must be a function `(context) => …`. TypeScript is compiled
 * the way config files are (swc, decorator metadata kept), so scripts may import decorated models.
 */
export async function loadScript(cwd: string, script: string): Promise<SolutionTask> {
  const file = path.resolve(cwd, script);
  if (!(await access(file).then(() => true, () => false))) throw new UsageError(`Script ${file} does not exist.`);
  let loaded: any;
  try {
    loaded = await createModuleLoader(file).import(file); // swc with decorator metadata, as for fbs.config.ts
  } catch (error) {
    throw new UsageError(`Cannot load the script ${file}: ${(error as Error).message}`, { cause: error });
  }
  const task = typeof loaded === 'function' ? loaded : typeof loaded?.run === 'function' ? loaded.run : typeof loaded?.default?.run === 'function' ? loaded.default.run : loaded?.default;
  if (typeof task !== 'function') {
    throw new UsageError(`The script ${file} must export a function: \`export default async function ({ solution, project }) { … }\` or \`export async function run(context)\`.`);
  }
  return task as SolutionTask;
}
