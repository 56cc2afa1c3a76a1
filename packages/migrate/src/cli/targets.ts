import type { Project } from '@fbs/core';
import type { SolutionTargets } from './cli-config';
import { UsageError } from './usage-error';

/** The target options every command shares. */
export interface TargetFlags {
  readonly database?: string[];
  readonly all?: boolean;
  readonly solution?: string[];
  readonly allSolutions?: boolean;
}

/**
 * The aliases a command line selects: `--database` (repeatable), `--all` (every configured alias),
 * `--solution NAME` (repeatable) and `--all-solutions` (through the config's `solutions`), in that
 * order, without duplicates. Returns undefined when nothing was selected.
 *
 * @example
 * ```ts
 * const aliases = await resolveTargets(flags, project, solutions) ?? project.connections.aliases();
 * ```
 */
export async function resolveTargets(flags: TargetFlags, project: Project, solutions: SolutionTargets | undefined): Promise<string[] | undefined> {
  const picked: string[] = [];
  if (flags.database) picked.push(...flags.database);
  if (flags.all) picked.push(...project.connections.aliases());
  const names = [...(flags.solution ?? [])];
  if (flags.allSolutions || names.length > 0) {
    if (!solutions) {
      throw new UsageError('--solution/--all-solutions need `solutions` in the config file (e.g. the @fbs/solutions manager: export default { project, solutions: manager }).');
    }
    if (flags.allSolutions) names.push(...(await solutions.list()));
    for (const name of names) picked.push(...(await solutions.databases(name)));
  }
  const any = Boolean(flags.database?.length || flags.all || flags.allSolutions || flags.solution?.length);
  return any ? [...new Set(picked)] : undefined;
}
