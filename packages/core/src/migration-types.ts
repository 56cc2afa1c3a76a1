import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { MigrateHints } from './router';

/**
 * What a migration's `up`/`down` receives. Queries through `queryInterface` or `sequelize` join
 * `transaction` on their own.
 */
export interface MigrationContext {
  /** The database alias the migration runs on. */
  readonly alias: string;
  /** The app the migration belongs to. */
  readonly appLabel: string;
  /** The namespaced migration name, `app_label/name`. */
  readonly name: string;
  readonly queryInterface: QueryInterface;
  readonly sequelize: Sequelize;
  /** The transaction the migration and its history row commit in (undefined with `transaction: false`). */
  readonly transaction: Transaction | undefined;
}

/**
 * One migration of an app, as a module exports it (or as an object in a list). See @fbs/migrate.
 *
 * @example
 * ```ts
 * // fbs_license_manager/migrations/0002_usage.ts
 * export const dependencies = ['fbs_app/0001_initial'];
 * export async function up({ queryInterface }: MigrationContext) {
 *   await queryInterface.createTable('fbs_license_manager_feature_usage', { id: { type: 'SERIAL', primaryKey: true } });
 * }
 * export async function down({ queryInterface }: MigrationContext) {
 *   await queryInterface.dropTable('fbs_license_manager_feature_usage');
 * }
 * ```
 */
export interface MigrationModule {
  /** Name inside the app (e.g. `0001_initial`); file-based migrations take it from the file name. */
  readonly name?: string;
  up(context: MigrationContext): Promise<unknown> | unknown;
  down?(context: MigrationContext): Promise<unknown> | unknown;
  /** Extra hints passed to `allowMigrate`. */
  readonly hints?: MigrateHints;
  /** The model this migration is about; passed to `allowMigrate` as `hints.modelName`. */
  readonly modelName?: string;
  /** Namespaced names (`other_app/0002_x`) of migrations that must run first. */
  readonly dependencies?: readonly string[];
  /** `false` to run outside a transaction (e.g. `CREATE INDEX CONCURRENTLY`). Default `true`. */
  readonly transaction?: boolean;
}

/** Where an app's migrations come from: a folder of modules, or a list. */
export type MigrationSource = string | readonly MigrationModule[];
