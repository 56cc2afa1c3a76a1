import { FbsError, type ModelMeta, type Project } from '@fbs/core';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';

/** One model's routes. */
export interface ModelRoutes {
  readonly model: string;
  readonly read: string;
  readonly write: string;
  /** Selected databases where `allowMigrate(db, appLabel, { modelName })` is true. */
  readonly migrate: string[];
}

/**
 * A routing decision for the table: a router that cannot decide without hints (e.g. solution data
 * outside `withSolution`) shows why instead of failing the command.
 */
function decide(project: Project, kind: 'read' | 'write', meta: ModelMeta): string {
  try {
    return kind === 'read' ? project.router.dbForRead(meta, project.hints()) : project.router.dbForWrite(meta, project.hints());
  } catch (error) {
    if (error instanceof FbsError) return error.code === 'FBS_MISSING_HINT' ? '(needs a solution)' : `(${error.code})`;
    throw error;
  }
}

/**
 * `routes`: each model × read / write / migrate databases according to the routers. With one
 * `--solution NAME`, decisions are made inside `withSolution(NAME)`; otherwise with no hints.
 */
export async function routesCommand(context: CommandContext, flags: TargetFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const project = config.project;
  const databases = (await resolveTargets(flags, project, config.solutions)) ?? project.connections.aliases();
  const table = (): ModelRoutes[] =>
    project.apps.models().map((meta) => ({
      model: meta.label,
      read: decide(project, 'read', meta),
      write: decide(project, 'write', meta),
      migrate: databases.filter((db) => project.router.allowMigrate(db, meta.appLabel, { modelName: meta.modelName })),
    }));
  const solution = flags.solution?.length === 1 ? flags.solution[0] : undefined;
  const routes = solution === undefined ? table() : project.withSolution(solution, table);
  if (json) writeJson(io, routes);
  else {
    const c = colorsFor(io.stdout, io.env);
    const rows = routes.map((r) => [r.model, r.read, r.write, r.migrate.join(', ') || c.dim('(none)')]);
    io.stdout.write(`${formatTable(['Model', 'Read', 'Write', 'Migrate'], rows, { color: c.isColorSupported })}\n`);
  }
  return EXIT.OK;
}
