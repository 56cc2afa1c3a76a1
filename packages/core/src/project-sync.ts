import type { Model, ModelStatic } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { modelsInDependencyOrder } from './sequelize-internals';

/** Options of `project.sync()`. */
export interface ProjectSyncOptions {
  /** Alter existing tables to match the models (Sequelize's `sync({ alter })`). */
  readonly alter?: boolean;
  /** Drop and re-create the tables (Sequelize's `sync({ force })`). Destroys data. */
  readonly force?: boolean;
  /** The aliases to sync. Default: every configured alias. */
  readonly databases?: readonly string[];
}

/** Syncs, on each alias, the models registered there (those whose app `allowMigrate` allows), in foreign-key order. */
export async function syncProject(
  configured: readonly string[],
  connection: (alias: string) => Sequelize,
  modelsOf: (alias: string) => ModelStatic<Model>[],
  options: ProjectSyncOptions,
): Promise<void> {
  const aliases = options.databases ?? configured;
  for (const alias of aliases) {
    const sequelize = connection(alias);
    const allowed = new Set<unknown>(modelsOf(alias));
    // Through models Sequelize generates for belongsToMany belong with the models that declare them.
    for (const model of modelsInDependencyOrder(sequelize)) {
      if (allowed.has(model) || isGeneratedThrough(model, allowed)) await model.sync({ alter: options.alter, force: options.force });
    }
  }
}

function isGeneratedThrough(model: ModelStatic<Model>, allowed: ReadonlySet<unknown>): boolean {
  for (const owner of allowed) {
    for (const association of Object.values((owner as ModelStatic<Model>).associations)) {
      const through = (association as { through?: { model?: unknown } }).through;
      if (through?.model === model) return true;
    }
  }
  return false;
}
