import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Model as SequelizeModel, type Model, type ModelStatic } from 'sequelize';
import { Model as TypescriptModel } from 'sequelize-typescript';
import { AppRegistryError } from './errors';
import type { MigrationSource } from './migration-types';
import type { SeedSource } from './seed-types';

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
  /** The app's seeds (data it needs, run once per database by `fbs-migrate seed`): a folder of seed modules, or a list. */
  readonly seeds?: SeedSource;
  /** `false` keeps the reads of this app's models on the primaries, never a read replica. Default true. */
  readonly replicaReads?: boolean;
}

/** A registered app (frozen). */
export interface App {
  readonly label: string;
  readonly models: readonly ModelClass<any>[];
  readonly migrations: MigrationSource | undefined;
  readonly seeds: SeedSource | undefined;
  readonly replicaReads: boolean;
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
 *   seeds: path.join(__dirname, 'seeds'),
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
    checkModelCopy(label, m, i);
    if (seen.has(m)) throw new AppRegistryError(`App '${label}' lists model ${m.name} twice.`);
    seen.add(m);
  });
  const seeds = config.seeds;
  if (seeds !== undefined && typeof seeds !== 'string' && !Array.isArray(seeds)) {
    throw new AppRegistryError(`App '${label}': seeds must be a folder path or a list of seed objects { name, run }, got ${describe(seeds)}.`);
  }
  const replicaReads = config.replicaReads ?? true;
  if (typeof replicaReads !== 'boolean') throw new AppRegistryError(`App '${label}': replicaReads must be true or false, got ${JSON.stringify(replicaReads)}.`);
  return Object.freeze({ label, models: Object.freeze([...models]), migrations: config.migrations, seeds, replicaReads });
}

/**
 * A model class must extend the `Model` of the sequelize-typescript (and sequelize) this SDK loads.
 * With two installed copies (an app's and the SDK's), Sequelize fails later with "called with
 * something that's not a subclass of Sequelize.Model"; say here which copies and how to dedupe.
 */
function checkModelCopy(label: string, model: Function, index: number): void {
  if (model.prototype instanceof TypescriptModel) return;
  const where = `App '${label}': models[${index}] (${model.name || 'anonymous class'})`;
  const bases = modelBases(model);
  if (bases.length === 0) {
    throw new AppRegistryError(`${where} is not a model class. Pass classes that extend Model from sequelize-typescript.`);
  }
  if (bases[0]?.cls === SequelizeModel) {
    throw new AppRegistryError(
      `${where} extends Model from 'sequelize', not from 'sequelize-typescript'. ` +
        `Declare it with sequelize-typescript: import { Model, Table, Column } from 'sequelize-typescript'.`,
    );
  }
  const sameSequelize = model.prototype instanceof SequelizeModel;
  const names = sameSequelize ? 'sequelize-typescript' : 'sequelize-typescript and of sequelize';
  const lines = [copies('sequelize-typescript', bases.find((b) => b.pkg?.name === 'sequelize-typescript')?.pkg, model.name)];
  if (!sameSequelize) lines.push(copies('sequelize', bases.find((b) => b.pkg?.name === 'sequelize')?.pkg, model.name));
  throw new AppRegistryError(
    `${where} extends the Model of another copy of ${names} than the one @fbs/core uses: two copies are ` +
      `installed, and Sequelize would reject the model ("called with something that's not a subclass of Sequelize.Model").\n` +
      lines.map((line) => `  ${line}\n`).join('') +
      `Install one copy of each: give every package the same version range and dedupe ` +
      `(pnpm: \`pnpm dedupe\`, or "pnpm": { "overrides": { "sequelize-typescript": "<version>" } } in package.json; ` +
      `npm: \`npm dedupe\`, or "overrides"; yarn: "resolutions"). A library that declares models lists ` +
      `sequelize and sequelize-typescript as peerDependencies, not dependencies.`,
  );
}

interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/** The classes named `Model` that `model` extends, each with the package that defines it (when found). */
function modelBases(model: Function): { cls: Function; pkg: PackageInfo | undefined }[] {
  const bases: { cls: Function; pkg: PackageInfo | undefined }[] = [];
  for (let c: unknown = Object.getPrototypeOf(model); typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    if (c.name === 'Model') bases.push({ cls: c, pkg: definingPackage(c) });
  }
  return bases;
}

/** `sequelize-typescript 2.1.6 (the SDK's: /a/…; Author's: /b/…)`. */
function copies(name: string, theirs: PackageInfo | undefined, modelName: string): string {
  const ours = definingPackage(name === 'sequelize' ? SequelizeModel : TypescriptModel) ?? resolvedPackage(name);
  const show = (p: PackageInfo | undefined) => (p ? `${p.version} at ${p.dir}` : 'not found');
  return `${name}: @fbs/core uses ${show(ours)}; ${modelName || 'the model'} uses ${theirs ? show(theirs) : 'another copy'}.`;
}

/** The package whose loaded module exports `cls` (searched in require's cache: only on this error path). */
function definingPackage(cls: Function): PackageInfo | undefined {
  const cache = typeof require === 'function' ? require.cache : {};
  for (const [file, loaded] of Object.entries(cache)) {
    let exported: unknown;
    try {
      exported = loaded?.exports;
      if (exported !== cls && (exported as { Model?: unknown } | null)?.Model !== cls) continue;
    } catch {
      continue;
    }
    const pkg = packageAbove(file);
    if (pkg) return pkg;
  }
  return undefined;
}

/** The package `name` as @fbs/core resolves it. */
function resolvedPackage(name: string): PackageInfo | undefined {
  try {
    return packageAbove(require.resolve(name));
  } catch {
    return undefined;
  }
}

/** The nearest package.json above `file` that names `sequelize` or `sequelize-typescript`. */
function packageAbove(file: string): PackageInfo | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (json.name === 'sequelize' || json.name === 'sequelize-typescript') return { name: json.name, version: String(json.version), dir };
    } catch {
      // no package.json here: look further up
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  return value === null ? 'null' : typeof value;
}
