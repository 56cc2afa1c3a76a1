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

/** `routes`: each model × read / write / migrate databases according to the routers (no ambient hints). */
export async function routesCommand(context: CommandContext, flags: TargetFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const project = config.project;
  const databases = (await resolveTargets(flags, project, config.solutions)) ?? project.connections.aliases();
  const routes: ModelRoutes[] = project.apps.models().map((meta) => ({
    model: meta.label,
    read: project.router.dbForRead(meta, {}),
    write: project.router.dbForWrite(meta, {}),
    migrate: databases.filter((db) => project.router.allowMigrate(db, meta.appLabel, { modelName: meta.modelName })),
  }));
  if (json) writeJson(io, routes);
  else {
    const c = colorsFor(io.stdout, io.env);
    const rows = routes.map((r) => [r.model, r.read, r.write, r.migrate.join(', ') || c.dim('(none)')]);
    io.stdout.write(`${formatTable(['Model', 'Read', 'Write', 'Migrate'], rows, { color: c.isColorSupported })}\n`);
  }
  return EXIT.OK;
}
