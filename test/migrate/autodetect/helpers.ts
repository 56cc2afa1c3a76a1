import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createProject, defineApp, type ModelClass, type Project } from '@fbs/core';
import type { ModelAttributeColumnOptions, ModelOptions } from 'sequelize';
import { BelongsTo, Column, ForeignKey, Model, Table } from 'sequelize-typescript';
import { queryDatabase, testServer } from '../../harness/postgres';

/** A fresh temporary migrations folder. */
export function tempMigrations(prefix = 'fbs-make-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Column options as the tests write them (Sequelize's, with a `belongsTo` shortcut for association-made foreign keys). */
export type ColumnSpec = Partial<ModelAttributeColumnOptions> & { belongsTo?: () => any };

/** A sequelize-typescript model class built with the decorators called as functions (no `declare` fields). */
export function model(name: string, tableName: string, columns: Record<string, ColumnSpec>, options: Partial<ModelOptions> = {}): ModelClass<any> {
  const cls = { [name]: class extends Model {} }[name]!;
  for (const [key, { belongsTo, ...spec }] of Object.entries(columns)) {
    Column(spec as any)(cls.prototype, key);
    if (belongsTo) {
      ForeignKey(belongsTo)(cls.prototype, key);
      BelongsTo(belongsTo, key)(cls.prototype, `${key.replace(/Id$/, '')}Ref`);
    }
  }
  Table({ tableName, timestamps: false, ...options } as any)(cls);
  return cls as any;
}

/** A project with one app over `default` (migrated) and `synced` (created by sync()). */
export async function appProject(label: string, models: readonly any[], folder: string, names: { default: string; synced?: string }): Promise<Project> {
  const server = await testServer();
  const databases: Record<string, string> = { default: server.url(names.default) };
  if (names.synced) databases.synced = server.url(names.synced);
  return createProject({ databases, apps: [defineApp({ label, models: [...models], migrations: folder })] });
}

/**
 * The schema of a database as the server reports it, independently of @fbs/migrate's reader:
 * information_schema columns, pg_indexes definitions, constraint definitions, enum labels (the
 * history table left out).
 */
export async function dumpSchema(database: string): Promise<Record<string, string[]>> {
  const rows = async (sql: string) => (await queryDatabase(database, sql)).map((r) => Object.values(r).join(' | ')).sort();
  return {
    columns: await rows(`SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'fbs_migrations'`),
    indexes: await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'fbs_migrations'`),
    constraints: await rows(`SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname <> 'fbs_migrations'`),
    enums: await rows(`SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' GROUP BY t.typname`),
  };
}

/** Empties a database's public schema. */
export async function resetDatabase(database: string): Promise<void> {
  await queryDatabase(database, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}
