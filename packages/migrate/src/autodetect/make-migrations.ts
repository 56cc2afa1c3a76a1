import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { App, Project } from '@fbs/core';
import { TEMPLATE_EXTENSIONS, type TemplateExtension } from '../cli/migration-template';
import { SchemaError } from '../errors';
import { folderUmzug } from '../migration-folder';
import { modelSchemas } from './model-schema';
import { describeOperation, applyOperations } from './operations';
import { checkRenamesUsed, type RenameOptions } from './rename-questions';
import { renderMigration } from './render-migration';
import { diffSchemas } from './schema-diff';
import { sameJson } from './schema-json';
import type { SchemaOperation } from './schema-types';
import { migrationsState, SNAPSHOT_FILE, writeSnapshot } from './snapshot';
import { migrationName } from './migration-name';

/** Options of {@link makeMigrations}. */
export interface MakeMigrationsOptions extends RenameOptions {
  /** App labels (default: every app with a migrations folder). */
  readonly apps?: readonly string[];
  /** snake_case name of the new migrations (default: from their operations; `initial` for an app's first). */
  readonly name?: string;
  /** Work out the changes and write nothing (`make --check`). */
  readonly dryRun?: boolean;
  /** File type of new migrations (default: that of the app's newest migration, else `ts`). */
  readonly extension?: TemplateExtension;
}

/** What `make` did (or, with `dryRun`, would do) for one app. */
export interface AppMigrationResult {
  readonly app: string;
  /** The changes from what the migrations produce to what the models declare; empty when they agree. */
  readonly operations: SchemaOperation[];
  /** Each operation in words. */
  readonly changes: string[];
  /** The migration file written (or to be written); undefined when there is nothing to migrate. */
  readonly file?: string;
  /** Its namespaced name, e.g. `shop/0002_add_shop_order_note`. */
  readonly name?: string;
  /** The snapshot written (undefined with `dryRun`, or when it was already current). */
  readonly snapshot?: string;
  /** Migrations that declare no `effect` (assumed to change nothing make tracks). */
  readonly undeclared: string[];
}

/**
 * Django's `makemigrations`: for each app, compares what its migrations produce (its snapshot plus
 * the declared effects of later migrations) with what its models declare, and writes a migration
 * with `up`, `down` and `effect`, and the new snapshot. Needs no database. Renames are asked
 * (`ask`) or given (`renames`), never guessed.
 *
 * @example
 * ```ts
 * const results = await makeMigrations(project, { apps: ['shop'], renames: [parseRename('shop_order.title:name')] });
 * for (const r of results) if (r.file) console.log(`wrote ${r.file}`);
 * ```
 */
export async function makeMigrations(project: Project, options: MakeMigrationsOptions = {}): Promise<AppMigrationResult[]> {
  const apps = selectApps(project, options.apps);
  const models = modelSchemas(project);
  const owners = new Map<string, string>();
  for (const [label, schema] of models) for (const table of Object.keys(schema.tables)) owners.set(table, label);
  if (options.name !== undefined && !/^[a-z][a-z0-9_]*$/.test(options.name)) {
    throw new SchemaError(`Migration name ${JSON.stringify(options.name)} is not snake_case; use lowercase letters, digits and underscores, starting with a letter.`);
  }
  const results: AppMigrationResult[] = [];
  const used: { from: string; to: string; table?: string }[] = [];
  for (const app of apps) {
    const state = await migrationsState(app);
    const target = models.get(app.label)!;
    const operations = await diffSchemas(state.schema, target, options).catch((error) => {
      throw error instanceof SchemaError ? new SchemaError(`App '${app.label}': ${error.message}`) : error;
    });
    for (const op of operations) if (op.op === 'renameTable' || op.op === 'renameColumn') used.push(op.op === 'renameColumn' ? { table: op.table, from: op.from, to: op.to } : { from: op.from, to: op.to });
    if (!sameJson(applyOperations(state.schema, operations), target)) {
      throw new SchemaError(`App '${app.label}': the generated operations do not reproduce the models' schema (a bug in make); please report it with the app's models and ${SNAPSHOT_FILE}.`);
    }
    const folder = path.resolve(app.migrations as string);
    const base = { app: app.label, operations, changes: operations.map(describeOperation), undeclared: state.undeclared };
    if (operations.length === 0) {
      const stale = !state.fromSnapshot && state.migrations.length > 0;
      const snapshot = stale && !options.dryRun ? await writeSnapshot(folder, { format: 1, app: app.label, through: state.last, schema: target }) : undefined;
      results.push({ ...base, ...(snapshot ? { snapshot } : {}) });
      continue;
    }
    const files = await readdir(folder);
    const extension = options.extension ?? newestExtension(files);
    const next = Math.max(0, ...files.map((f) => Number(/^(\d+)_/.exec(f)?.[1] ?? 0))) + 1;
    const localName = `${String(next).padStart(4, '0')}_${options.name ?? migrationName(operations, state.migrations.length === 0)}`;
    const file = path.join(folder, `${localName}.${extension}`);
    const dependencies = await foreignDependencies(project, app.label, operations, owners);
    const result = { ...base, file, name: `${app.label}/${localName}` };
    if (!options.dryRun) {
      const content = renderMigration({ before: state.schema, operations, extension, dependencies });
      await folderUmzug(folder).create({ name: path.basename(file), prefix: 'NONE', content });
      results.push({ ...result, snapshot: await writeSnapshot(folder, { format: 1, app: app.label, through: localName, schema: target }) });
    } else {
      results.push(result);
    }
  }
  checkRenamesUsed(options.renames ?? [], used);
  return results;
}

/** The apps `make` works on: the labels given (each must have a migrations folder), or every app with one. */
export function selectApps(project: Project, labels: readonly string[] | undefined): App[] {
  const all = project.apps.apps();
  if (labels === undefined || labels.length === 0) return all.filter((a) => typeof a.migrations === 'string');
  return labels.map((label) => {
    const app = project.apps.app(label);
    if (!app) throw new SchemaError(`No app is labelled '${label}'. Apps: ${all.map((a) => a.label).join(', ') || '(none)'}.`);
    if (typeof app.migrations !== 'string') {
      throw new SchemaError(`App '${label}' has no migrations folder (its migrations are ${app.migrations === undefined ? 'not declared' : 'a list'}); make writes files: defineApp({ label: '${label}', migrations: path.join(__dirname, 'migrations') }).`);
    }
    return app;
  });
}

function newestExtension(files: readonly string[]): TemplateExtension {
  const last = files.filter((f) => /^\d+_.*\.(?:[cm]?[jt]s)$/.test(f) && !/\.d\.[cm]?ts$/.test(f)).sort().at(-1);
  const extension = last ? last.slice(last.lastIndexOf('.') + 1).replace(/^[cm]ts$/, 'ts') : 'ts';
  return (TEMPLATE_EXTENSIONS as readonly string[]).includes(extension) ? (extension as TemplateExtension) : 'ts';
}

/** Django-style dependencies: a foreign key to another app's table depends on that app's latest migration. */
async function foreignDependencies(project: Project, label: string, operations: readonly SchemaOperation[], owners: ReadonlyMap<string, string>): Promise<string[]> {
  const referenced = new Set<string>();
  for (const op of operations) {
    const columns = op.op === 'createTable' ? Object.values(op.definition.columns) : op.op === 'addColumn' ? [op.definition] : op.op === 'alterColumn' ? [op.to] : [];
    for (const c of columns) if (c.references) referenced.add(c.references.table);
  }
  const dependencies = new Set<string>();
  for (const table of referenced) {
    const owner = owners.get(table);
    if (!owner || owner === label) continue;
    const app = project.apps.app(owner)!;
    if (typeof app.migrations !== 'string') continue;
    const { last } = await migrationsState(app);
    if (last) dependencies.add(`${owner}/${last}`);
  }
  return [...dependencies].sort();
}
