import { access } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '@fbs/migrate';
import { createJiti } from 'jiti';
import type { SolutionTask } from '../run-each';

/**
 * Loads the script of `fbs-solutions run SCRIPT` (TypeScript or JavaScript, relative to `cwd`): its
 * default export or its `run` export must be a function `(context) => …`.
 */
export async function loadScript(cwd: string, script: string): Promise<SolutionTask> {
  const file = path.resolve(cwd, script);
  if (!(await access(file).then(() => true, () => false))) throw new UsageError(`Script ${file} does not exist.`);
  let loaded: any;
  try {
    loaded = await createJiti(file, { interopDefault: true }).import(file);
  } catch (error) {
    throw new UsageError(`Cannot load the script ${file}: ${(error as Error).message}`, { cause: error });
  }
  const task = typeof loaded === 'function' ? loaded : typeof loaded?.run === 'function' ? loaded.run : typeof loaded?.default?.run === 'function' ? loaded.default.run : loaded?.default;
  if (typeof task !== 'function') {
    throw new UsageError(`The script ${file} must export a function: \`export default async function ({ solution, project }) { … }\` or \`export async function run(context)\`.`);
  }
  return task as SolutionTask;
}
