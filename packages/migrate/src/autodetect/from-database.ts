import path from 'node:path';
import type { Project } from '@fbs/core';
import { liveSchema } from './live-schema';
import { selectApps } from './make-migrations';
import { modelSchemas } from './model-schema';
import { migrationsState, writeSnapshot } from './snapshot';

/** What {@link snapshotFromDatabase} wrote for one app. */
export interface BootstrappedSnapshot {
  readonly app: string;
  readonly file: string;
  /** The tables found on the database (of those the app's models or snapshot name). */
  readonly tables: string[];
  /** The migration the snapshot now covers through (the app's last), or null. */
  readonly through: string | null;
}

/**
 * `make --from-database ALIAS`: writes each app's snapshot from the live schema of `alias`
 * (the tables its models declare, plus those its current snapshot knows), as covering every
 * migration the app has. For projects whose migrations were written by hand: afterwards `make`
 * generates only what the models add to that database.
 *
 * @example
 * ```ts
 * await snapshotFromDatabase(project, 'default', ['shop']);
 * ```
 */
export async function snapshotFromDatabase(project: Project, alias: string, apps?: readonly string[]): Promise<BootstrappedSnapshot[]> {
  const sequelize = project.connection(alias);
  const models = modelSchemas(project);
  const written: BootstrappedSnapshot[] = [];
  for (const app of selectApps(project, apps)) {
    const label = app.label;
    const state = await migrationsState(app);
    const wanted = [...new Set([...Object.keys(models.get(label)!.tables), ...Object.keys(state.schema.tables)])].sort();
    const schema = await liveSchema(sequelize, wanted);
    const file = await writeSnapshot(path.resolve(app.migrations as string), { format: 1, app: label, through: state.last, schema });
    written.push({ app: label, file, tables: Object.keys(schema.tables), through: state.last });
  }
  return written;
}
