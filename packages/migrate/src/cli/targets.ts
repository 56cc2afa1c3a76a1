import type { Project } from '@fbs/core';
import type { SolutionTargets } from '../fbs-config';
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
    for (const name of names) picked.push(...(await solutionDatabases(solutions, name)));
  }
  const any = Boolean(flags.database?.length || flags.all || flags.allSolutions || flags.solution?.length);
  return any ? [...new Set(picked)] : undefined;
}

/** Solution errors the user fixes on the command line: exit code 2, with the CLI command that helps. */
const SOLUTION_USAGE_CODES = new Set(['FBS_UNKNOWN_SOLUTION', 'FBS_INVALID_SOLUTION_NAME']);

async function solutionDatabases(solutions: SolutionTargets, name: string): Promise<string[]> {
  try {
    return await solutions.databases(name);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !SOLUTION_USAGE_CODES.has(code)) throw error;
    const shown = JSON.stringify(name);
    if (code === 'FBS_INVALID_SOLUTION_NAME') {
      // The reason (the name pattern) is the solutions package's; drop any API call it suggests.
      const reason = (error as Error).message.replace(/^Invalid solution name [^:]*:\s*/, '');
      throw new UsageError(`--solution ${shown} is not a valid solution name: ${reason} \`fbs-solutions list\` shows the solutions.`, { cause: error });
    }
    throw new UsageError(
      `--solution ${shown}: no such solution is ready (it is not in the catalogue, or its creation did not finish). ` +
        `Create it (or finish creating it) with \`fbs-solutions create ${name}\`; \`fbs-solutions list\` shows the solutions.`,
      { cause: error },
    );
  }
}
