import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App, MigrationModule } from '@fbs/core';
import { moduleChecksum, sha256 } from './checksum';
import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';
import { folderUmzug } from './migration-folder';
import { declaredHints, MODULE_NAME } from './module-hints';
import { createModuleLoader } from './module-loader';

const EXTENSIONS = /\.(?:[cm]?[jt]s)$/;

/** Resolves every app's migrations (lists at once; folders through umzug's glob resolution). */
export async function loadMigrations(apps: readonly App[]): Promise<MigrationEntry[]> {
  const perApp = await Promise.all(apps.map((app, i) => loadApp(app, i)));
  return perApp.flat();
}

/** Resolves the migrations of apps that declare them as lists; undefined if any app uses a folder. */
export function loadListMigrations(apps: readonly App[]): MigrationEntry[] | undefined {
  if (apps.some((app) => typeof app.migrations === 'string')) return undefined;
  return apps.flatMap((app, i) => listEntries(app, i));
}

async function loadApp(app: App, appIndex: number): Promise<MigrationEntry[]> {
  if (typeof app.migrations === 'string') return folderEntries(app, appIndex, app.migrations);
  return listEntries(app, appIndex);
}

function listEntries(app: App, appIndex: number): MigrationEntry[] {
  const source = app.migrations;
  if (source === undefined) return [];
  if (!Array.isArray(source)) {
    throw new MigrationPlanError(`App '${app.label}': migrations must be a folder path or a list of migration objects, got ${typeof source}.`);
  }
  const seen = new Set<string>();
  return (source as readonly MigrationModule[]).map((module, i) => {
    const where = `App '${app.label}' migrations[${i}]`;
    if (!module || typeof module !== 'object') throw new MigrationPlanError(`${where} is not a migration object { name, up, down? }.`);
    const localName = module.name;
    if (typeof localName !== 'string' || !MODULE_NAME.test(localName)) {
      throw new MigrationPlanError(`${where} needs a \`name\` like '0001_initial' (letters, digits, _ . -), got ${JSON.stringify(localName)}.`);
    }
    if (seen.has(localName)) throw new MigrationPlanError(`App '${app.label}' lists migration '${localName}' twice. Names must be unique in an app.`);
    seen.add(localName);
    return entry(app, appIndex, localName, module, undefined, moduleChecksum(module), `${where} ('${localName}')`);
  });
}

async function folderEntries(app: App, appIndex: number, folder: string): Promise<MigrationEntry[]> {
  const dir = path.resolve(folder);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new MigrationPlanError(`App '${app.label}': migrations folder '${dir}' does not exist. Create it, or fix the path given to defineApp({ migrations }).`);
  }
  // umzug finds the files; loading is deferred to us so that hints and dependencies are known before planning.
  const files = await folderUmzug(dir).migrations({});
  const loader = createModuleLoader(path.join(dir, 'index.js'));
  const seen = new Map<string, string>();
  const entries: MigrationEntry[] = [];
  for (const file of files) {
    const filePath = file.path!;
    const localName = path.basename(filePath).replace(EXTENSIONS, '');
    const twin = seen.get(localName);
    if (twin) {
      throw new MigrationPlanError(`App '${app.label}': two files define migration '${localName}': ${twin} and ${filePath}. Keep one.`);
    }
    seen.set(localName, filePath);
    let loaded: unknown;
    try {
      loaded = await loader.import(filePath);
    } catch (error) {
      throw new MigrationPlanError(`App '${app.label}': cannot load migration file ${filePath}: ${(error as Error).message}`, { cause: error });
    }
    const checksum = sha256(await readFile(filePath));
    entries.push(entry(app, appIndex, localName, asModule(loaded), filePath, checksum, filePath));
  }
  return entries;
}

function asModule(loaded: unknown): MigrationModule {
  const mod = loaded as Record<string, any> | undefined;
  if (mod && typeof mod.up !== 'function' && mod.default && typeof mod.default === 'object') return mod.default as MigrationModule;
  return mod as MigrationModule;
}

function entry(app: App, appIndex: number, localName: string, module: MigrationModule, file: string | undefined, checksum: string, where: string): MigrationEntry {
  if (!module || typeof module.up !== 'function') {
    throw new MigrationPlanError(`${where}: a migration must export an \`up(context)\` function (and usually \`down(context)\`).`);
  }
  if (module.down !== undefined && typeof module.down !== 'function') throw new MigrationPlanError(`${where}: \`down\` must be a function.`);
  const dependencies = module.dependencies ?? [];
  if (!Array.isArray(dependencies) || dependencies.some((d) => typeof d !== 'string' || !d.includes('/'))) {
    throw new MigrationPlanError(`${where}: \`dependencies\` must be a list of namespaced names like 'other_app/0001_initial', got ${JSON.stringify(dependencies)}.`);
  }
  if (module.transaction !== undefined && typeof module.transaction !== 'boolean') {
    throw new MigrationPlanError(`${where}: \`transaction\` must be true or false, got ${JSON.stringify(module.transaction)}.`);
  }
  const hints = declaredHints(module, where, MigrationPlanError);
  return Object.freeze({
    name: `${app.label}/${localName}`,
    appLabel: app.label,
    localName,
    appIndex,
    module,
    path: file,
    checksum,
    dependencies: Object.freeze([...dependencies]),
    transactional: module.transaction !== false,
    hints,
  });
}
