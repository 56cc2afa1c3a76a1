import type { Model, ModelStatic } from 'sequelize';
import { AppRegistryError } from './errors';
import type { MigrationSource } from './migration-types';

/** A model class registered in an app (a sequelize-typescript class decorated with `@Table`). */
export type ModelClass<M extends Model = Model> = ModelStatic<M>;

/** What `defineApp` takes. */
export interface AppConfig {
  /** The app label: an identifier (`[A-Za-z_][A-Za-z0-9_]*`, at most 63 characters), e.g. `fbs_app`. */
  readonly label: string;
  /** The app's model classes. A class belongs to exactly one app. */
  readonly models?: readonly ModelClass<any>[];
  /** The app's migrations: a folder of migration modules, or a list (see @fbs/migrate). */
  readonly migrations?: MigrationSource;
}

/** A registered app (frozen). */
export interface App {
  readonly label: string;
  readonly models: readonly ModelClass<any>[];
  readonly migrations: MigrationSource | undefined;
}

const LABEL = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Declares an app: a label, its models and its migrations.
 *
 * @example
 * ```ts
 * export const licenseApp = defineApp({
 *   label: 'fbs_license_manager',
 *   models: [SolutionLicense, FeatureUsage],
 *   migrations: path.join(__dirname, 'migrations'),
 * });
 * ```
 */
export function defineApp(config: AppConfig): App {
  if (config === null || typeof config !== 'object') {
    throw new AppRegistryError(`defineApp() needs an object { label, models }, got ${String(config)}.`);
  }
  const { label } = config;
  if (typeof label !== 'string' || !LABEL.test(label)) {
    throw new AppRegistryError(
      `App label ${JSON.stringify(label)} is not an identifier. Use letters, digits and underscores, ` +
        `starting with a letter or underscore, at most 63 characters (e.g. 'fbs_app').`,
    );
  }
  const models = config.models ?? [];
  if (!Array.isArray(models)) {
    throw new AppRegistryError(`App '${label}': models must be an array of model classes.`);
  }
  const seen = new Set<unknown>();
  models.forEach((m, i) => {
    if (typeof m !== 'function' || !(m.prototype && 'save' in m.prototype)) {
      throw new AppRegistryError(
        `App '${label}': models[${i}] is not a model class (${describe(m)}). Pass classes that extend Model from sequelize-typescript.`,
      );
    }
    if (seen.has(m)) throw new AppRegistryError(`App '${label}' lists model ${m.name} twice.`);
    seen.add(m);
  });
  return Object.freeze({ label, models: Object.freeze([...models]), migrations: config.migrations });
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  return value === null ? 'null' : typeof value;
}
