import type { Model, ModelStatic, QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { Project } from './project';
import type { RoutedModel } from './routed-model';
import type { MigrateHints } from './router';

/**
 * What a seed's `run` receives: the same shape as a migration's context, plus the project and
 * `model(M)`, the routed model pinned to this database. Queries through `queryInterface`,
 * `sequelize` or `model()` join `transaction` on their own; the seed's history row commits in it.
 */
export interface SeedContext {
  /** The database alias the seed runs on. */
  readonly alias: string;
  /** The app the seed belongs to. */
  readonly appLabel: string;
  /** The namespaced seed name, `app_label/name`. */
  readonly name: string;
  readonly queryInterface: QueryInterface;
  readonly sequelize: Sequelize;
  /** The transaction the seed and its history row commit in. */
  readonly transaction: Transaction;
  /** The project, e.g. for `project.hints()` inside `withSolution`. */
  readonly project: Project;
  /** `project.using(alias, M)`: the model on this database, inside the seed's transaction. */
  model<M extends Model>(model: ModelStatic<M>): RoutedModel<M>;
}

/**
 * One seed of an app (data every database of the app needs: license tiers, default settings), as a
 * module exports it (`export async function run(ctx)`, or a default export) or as an object in a list.
 * Runs once per database its app may migrate to (`allowMigrate`), recorded in that database's seed
 * history in the same transaction. See @fbs/migrate's `Seeder`.
 *
 * @example
 * ```ts
 * // fbs_license_manager/seeds/0001_tiers.ts
 * export async function run({ model }: SeedContext) {
 *   await model(LicenseTier).bulkCreate([{ name: 'basic' }, { name: 'pro' }]);
 * }
 * ```
 */
export interface SeedModule {
  /** Name inside the app (e.g. `0001_tiers`); file-based seeds take it from the file name. */
  readonly name?: string;
  run(context: SeedContext): Promise<unknown> | unknown;
  /** Extra hints passed to `allowMigrate`. */
  readonly hints?: MigrateHints;
  /** The model this seed is about; passed to `allowMigrate` as `hints.modelName`. */
  readonly modelName?: string;
}

/** Where an app's seeds come from: a folder of modules, or a list. */
export type SeedSource = string | readonly SeedModule[];
