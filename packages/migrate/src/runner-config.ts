import { ConfigurationError, type Project } from '@fbs/core';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks what a `Migrator` or `Seeder` is built with: the project from `createProject()`, and the
 * name of its history table, a plain identifier (it is interpolated into SQL). Returns the table.
 *
 * @example
 * ```ts
 * const table = checkRunnerConfig(project, 'new Seeder(project)', config.table, 'fbs_seeds', 'Seeder table');
 * ```
 */
export function checkRunnerConfig(project: Project, call: string, table: unknown, fallback: string, label: string): string {
  if (!project || typeof project !== 'object' || !project.router || !project.connections) {
    throw new ConfigurationError(`${call} needs the project from createProject().`);
  }
  const name = table ?? fallback;
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ConfigurationError(`${label} ${JSON.stringify(name)} is not an identifier; use letters, digits and underscores (e.g. '${fallback}').`);
  }
  return name;
}
