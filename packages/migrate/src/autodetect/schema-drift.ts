import type { Project } from '@fbs/core';
import { liveSchema } from './live-schema';
import { modelSchemas } from './model-schema';
import { describeColumn } from './operations';
import { sameJson } from './schema-json';
import type { AppSchema, ColumnSchema } from './schema-types';

/** One difference between the models and a live database. */
export interface SchemaDrift {
  readonly alias: string;
  readonly app: string;
  readonly table: string;
  /** The column or index concerned (undefined for a whole table). */
  readonly object?: string;
  readonly kind: 'missing table' | 'missing column' | 'extra column' | 'column differs' | 'missing index' | 'extra index' | 'index differs' | 'enum differs';
  /** What the models declare (undefined for extras). */
  readonly expected?: string;
  /** What the database holds (undefined for missing objects). */
  readonly actual?: string;
}

/** Options of {@link schemaDrift}. */
export interface SchemaDriftOptions {
  /** Aliases to read (default: every configured alias). */
  readonly databases?: readonly string[];
}

/**
 * Compares, on each database, the tables of the apps whose migrations the routers allow there
 * with what their models declare: missing tables, columns and indexes, columns and indexes added
 * by hand, and type, null, default, unique, foreign key or enum differences. Reads only.
 *
 * @example
 * ```ts
 * const drift = await schemaDrift(project, { databases: ['default'] });
 * if (drift.length) console.table(drift);
 * ```
 */
export async function schemaDrift(project: Project, options: SchemaDriftOptions = {}): Promise<SchemaDrift[]> {
  const models = modelSchemas(project);
  const found: SchemaDrift[] = [];
  for (const alias of options.databases ?? project.connections.aliases()) {
    const apps = project.apps.apps().filter((a) => project.allowMigrate(alias, a.label) && Object.keys(models.get(a.label)!.tables).length > 0);
    if (apps.length === 0) continue;
    const tables = apps.flatMap((a) => Object.keys(models.get(a.label)!.tables));
    const live = await liveSchema(project.connection(alias), tables);
    for (const app of apps) found.push(...compare(alias, app.label, models.get(app.label)!, live));
  }
  return found;
}

function compare(alias: string, app: string, expected: AppSchema, live: AppSchema): SchemaDrift[] {
  const out: SchemaDrift[] = [];
  const at = (table: string, object: string | undefined, kind: SchemaDrift['kind'], e?: string, a?: string) =>
    out.push({ alias, app, table, ...(object !== undefined ? { object } : {}), kind, ...(e !== undefined ? { expected: e } : {}), ...(a !== undefined ? { actual: a } : {}) });
  for (const [table, want] of Object.entries(expected.tables)) {
    const have = live.tables[table];
    if (!have) {
      at(table, undefined, 'missing table', `${Object.keys(want.columns).length} column(s)`);
      continue;
    }
    for (const [name, column] of Object.entries(want.columns)) {
      const actual = have.columns[name];
      if (!actual) at(table, name, 'missing column', describeColumn(column));
      else if (!sameJson(comparable(column), comparable(actual))) at(table, name, 'column differs', describeColumn(column), describeColumn(actual));
      else if (column.enum && !sameJson(expected.enums[column.enum], live.enums[actual.enum!])) {
        at(table, name, 'enum differs', (expected.enums[column.enum] ?? []).join(', '), (live.enums[actual.enum!] ?? []).join(', '));
      }
    }
    for (const [name, column] of Object.entries(have.columns)) if (!want.columns[name]) at(table, name, 'extra column', undefined, describeColumn(column));
    for (const [name, index] of Object.entries(want.indexes)) {
      const actual = have.indexes[name];
      const show = (i: typeof index) => `${i.unique ? 'unique ' : ''}(${i.fields.join(', ')})`;
      if (!actual) at(table, name, 'missing index', show(index));
      else if (!sameJson(index, actual)) at(table, name, 'index differs', show(index), show(actual));
    }
    for (const [name, index] of Object.entries(have.indexes)) if (!want.indexes[name]) at(table, name, 'extra index', undefined, `${index.unique ? 'unique ' : ''}(${index.fields.join(', ')})`);
  }
  return out;
}

// A live enum column is compared by its values, not its type name.
function comparable(column: ColumnSchema): ColumnSchema {
  return column.enum ? { ...column, enum: 'enum' } : column;
}
