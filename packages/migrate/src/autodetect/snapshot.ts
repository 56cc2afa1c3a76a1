import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '@fbs/core';
import { SchemaError } from '../errors';
import { loadMigrations } from '../load-migrations';
import { applyOperations } from './operations';
import { sortedSchema, stableJson } from './schema-json';
import { EMPTY_SCHEMA, type AppSchema, type SchemaOperation } from './schema-types';

/** The snapshot's file name, in the app's migrations folder. */
export const SNAPSHOT_FILE = '_schema.json';

/**
 * `<migrations folder>/_schema.json`: the schema an app's migrations produce, up to and including
 * migration `through` (null: before any). Written by `make`; committed with the migrations.
 */
export interface SchemaSnapshot {
  readonly format: 1;
  readonly app: string;
  readonly through: string | null;
  readonly schema: AppSchema;
}

/** The schema an app's migrations produce, and how it was worked out. */
export interface MigrationsState {
  readonly schema: AppSchema;
  /** The app's last migration (local name), or null when it has none. */
  readonly last: string | null;
  /** Local names of the app's migrations in order. */
  readonly migrations: string[];
  /** Migrations after the snapshot that declare no `effect`: assumed to change nothing `make` tracks. */
  readonly undeclared: string[];
  /** Whether a snapshot file was found. */
  readonly fromSnapshot: boolean;
}

/** Reads an app's snapshot; undefined when the file does not exist. */
export async function readSnapshot(folder: string, appLabel: string): Promise<SchemaSnapshot | undefined> {
  const file = path.join(folder, SNAPSHOT_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  let parsed: Partial<SchemaSnapshot>;
  try {
    parsed = JSON.parse(text) as Partial<SchemaSnapshot>;
  } catch (error) {
    throw new SchemaError(`${file} is not valid JSON (${(error as Error).message}). Restore it from version control, or delete it: make rebuilds it from the migrations' declared effects.`);
  }
  if (parsed.format !== 1 || parsed.app !== appLabel || !parsed.schema?.tables || !parsed.schema.enums || (parsed.through !== null && typeof parsed.through !== 'string')) {
    throw new SchemaError(`${file} is not a schema snapshot of app '${appLabel}' (expected { format: 1, app: '${appLabel}', through, schema: { tables, enums } }). Restore it, or delete it to rebuild it from the migrations.`);
  }
  return parsed as SchemaSnapshot;
}

/** Writes an app's snapshot (stable key order, so an unchanged schema leaves the file byte for byte). */
export async function writeSnapshot(folder: string, snapshot: SchemaSnapshot): Promise<string> {
  const file = path.join(folder, SNAPSHOT_FILE);
  await writeFile(file, stableJson({ ...snapshot, schema: sortedSchema(snapshot.schema) }));
  return file;
}

/**
 * The schema an app's migrations produce: its snapshot, then the declared `effect` of every
 * migration after the snapshot's `through` (all of them without a snapshot).
 *
 * @example
 * ```ts
 * const { schema, undeclared } = await migrationsState(app);
 * ```
 */
export async function migrationsState(app: App): Promise<MigrationsState> {
  if (typeof app.migrations !== 'string') {
    throw new SchemaError(`App '${app.label}' declares its migrations as a list; make writes migration files, so give the app a migrations folder: defineApp({ migrations: path.join(__dirname, 'migrations') }).`);
  }
  const folder = path.resolve(app.migrations);
  const entries = (await loadMigrations([app])).sort((a, b) => a.localName.localeCompare(b.localName));
  const migrations = entries.map((e) => e.localName);
  const snapshot = await readSnapshot(folder, app.label);
  let start = 0;
  if (snapshot?.through) {
    start = migrations.indexOf(snapshot.through) + 1;
    if (start === 0) {
      throw new SchemaError(`App '${app.label}': ${path.join(folder, SNAPSHOT_FILE)} covers migrations through '${snapshot.through}', which is not in ${folder}. Restore that migration, or delete the snapshot to rebuild it from the migrations' effects.`);
    }
  }
  let schema = snapshot?.schema ?? EMPTY_SCHEMA;
  const undeclared: string[] = [];
  for (const entry of entries.slice(start)) {
    const effect = (entry.module as { effect?: unknown }).effect;
    if (effect === undefined) {
      undeclared.push(entry.localName);
      continue;
    }
    if (!Array.isArray(effect)) throw new SchemaError(`${entry.path}: \`effect\` must be a list of schema operations, got ${JSON.stringify(effect)}.`);
    schema = applyOperations(schema, effect as SchemaOperation[], `${entry.name}'s effect`);
  }
  return { schema: sortedSchema(schema), last: migrations.at(-1) ?? null, migrations, undeclared, fromSnapshot: snapshot !== undefined };
}
