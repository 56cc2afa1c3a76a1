import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App, SeedModule } from '@fbs/core';
import { sha256 } from '../checksum';
import { folderUmzug } from '../migration-folder';
import { declaredHints, MODULE_NAME } from '../module-hints';
import { createModuleLoader } from '../module-loader';
import type { SeedEntry } from './seed-entry';
import { SeedPlanError } from './seed-errors';


/** Every app's seeds in app order, then name order inside each app (folders through umzug's glob). */
export async function loadSeeds(apps: readonly App[]): Promise<SeedEntry[]> {
  const perApp = await Promise.all(apps.map((app) => (typeof app.seeds === 'string' ? seedFolder(app, app.seeds) : seedList(app))));
  return perApp.flat();
}

function seedList(app: App): SeedEntry[] {
  const list = (app.seeds ?? []) as readonly SeedModule[];
  const entries = list.map((module, i) => {
    const where = `App '${app.label}' seeds[${i}]`;
    if (!module || typeof module !== 'object') throw new SeedPlanError(`${where} is not a seed object { name, run }.`);
    const checksum = sha256(`${String(module.run)}\n${JSON.stringify({ hints: module.hints ?? {}, modelName: module.modelName ?? null })}`);
    return seedEntry(app, module.name, module, undefined, checksum, where);
  });
  return sorted(app, entries);
}

async function seedFolder(app: App, folder: string): Promise<SeedEntry[]> {
  const dir = path.resolve(folder);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new SeedPlanError(`App '${app.label}': seeds folder '${dir}' does not exist. Create it, or fix the path given to defineApp({ seeds }).`);
  }
  // Loaded the way migration files are (swc, decorator metadata kept), so seeds may import decorated models.
  const loader = createModuleLoader(path.join(dir, 'index.js'));
  const entries: SeedEntry[] = [];
  for (const { path: file } of await folderUmzug(dir).migrations({})) {
    let loaded: unknown;
    try {
      loaded = await loader.import(file!);
    } catch (error) {
      throw new SeedPlanError(`App '${app.label}': cannot load seed file ${file}: ${(error as Error).message}`, { cause: error });
    }
    const localName = path.basename(file!).replace(/\.[cm]?[jt]s$/, '');
    entries.push(seedEntry(app, localName, asSeed(loaded), file, sha256(await readFile(file!)), file!));
  }
  return sorted(app, entries);
}

/** `export async function run(ctx)`, `export default function (ctx)` or `export default { run }`. */
function asSeed(loaded: unknown): SeedModule {
  const mod = loaded as Record<string, any> | ((...args: unknown[]) => unknown) | undefined;
  if (typeof mod === 'function') return { run: mod as SeedModule['run'] };
  if (mod && typeof mod.run !== 'function' && typeof mod.default === 'function') return { ...mod, run: mod.default };
  if (mod && typeof mod.run !== 'function' && mod.default && typeof mod.default === 'object') return mod.default as SeedModule;
  return mod as SeedModule;
}

function seedEntry(app: App, localName: unknown, module: SeedModule, file: string | undefined, checksum: string, where: string): SeedEntry {
  if (typeof localName !== 'string' || !MODULE_NAME.test(localName)) {
    throw new SeedPlanError(`${where} needs a \`name\` like '0001_tiers' (letters, digits, _ . -), got ${JSON.stringify(localName)}.`);
  }
  if (!module || typeof module.run !== 'function') {
    throw new SeedPlanError(`${where}: a seed must export a \`run(context)\` function (or a default function).`);
  }
  const hints = declaredHints(module, where, SeedPlanError);
  return Object.freeze({ name: `${app.label}/${localName}`, appLabel: app.label, localName, module, path: file, checksum, hints });
}

/** Name order inside the app; two seeds with one name are an error naming both. */
function sorted(app: App, entries: SeedEntry[]): SeedEntry[] {
  const byName = new Map<string, SeedEntry>();
  for (const entry of entries) {
    const twin = byName.get(entry.localName);
    if (twin) {
      const where = (e: SeedEntry) => e.path ?? 'a list entry';
      throw new SeedPlanError(`App '${app.label}' has two seeds named '${entry.localName}' (${where(twin)} and ${where(entry)}). Keep one.`);
    }
    byName.set(entry.localName, entry);
  }
  return [...entries].sort((a, b) => (a.localName < b.localName ? -1 : a.localName > b.localName ? 1 : 0));
}
