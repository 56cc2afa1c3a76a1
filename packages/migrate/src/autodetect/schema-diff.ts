import { SchemaError } from '../errors';
import { applyOperations } from './operations';
import { decideRenames, type RenameOptions, type RenameQuestion } from './rename-questions';
import { sameJson } from './schema-json';
import type { AppSchema, ColumnSchema, SchemaOperation, TableSchema } from './schema-types';

/**
 * The operations that bring `from` (what the migrations produce) to `to` (what the models
 * declare), in an order that runs: renames, new enum types, new tables (referenced ones first),
 * column and index changes, removed columns, dropped tables (referencing ones first), dropped enum
 * types. Renames are never guessed: see {@link RenameOptions} (`renames` that match nothing here are
 * ignored, so one list can serve several apps; {@link makeMigrations} reports the unused ones).
 *
 * @example
 * ```ts
 * const ops = await diffSchemas(snapshot, modelSchemas(project).get('shop')!, { renames: [parseRename('shop_order.title:name')] });
 * ```
 */
export async function diffSchemas(from: AppSchema, to: AppSchema, options: RenameOptions = {}): Promise<SchemaOperation[]> {
  const renames: RenameQuestion[] = [];
  const ops: SchemaOperation[] = [];
  // Tables: a removed and an added table with the same column names may be a rename.
  const removedTables = Object.keys(from.tables).filter((t) => !to.tables[t]);
  const addedTables = Object.keys(to.tables).filter((t) => !from.tables[t]);
  const sameColumns = (a: string, b: string) => sameJson(Object.keys(from.tables[a]!.columns).sort(), Object.keys(to.tables[b]!.columns).sort());
  for (const r of await decideRenames({ removed: removedTables, added: addedTables, similar: sameColumns, what: 'table' }, options)) {
    renames.push(r);
    ops.push({ op: 'renameTable', from: r.from, to: r.to });
  }
  let state = applyOperations(from, ops);
  // Columns of the tables both sides have: a removed and an added column of the same type may be a rename.
  const columnRenames: SchemaOperation[] = [];
  for (const table of Object.keys(to.tables).filter((t) => state.tables[t])) {
    const before = state.tables[table]!.columns;
    const after = to.tables[table]!.columns;
    const removed = Object.keys(before).filter((c) => !after[c]);
    const added = Object.keys(after).filter((c) => !before[c]);
    const similar = (a: string, b: string) => typeOf(state, before[a]!) === typeOf(to, after[b]!);
    for (const r of await decideRenames({ table, removed, added, similar, what: 'column' }, options)) {
      renames.push(r);
      columnRenames.push({ op: 'renameColumn', table, from: r.from, to: r.to });
    }
  }
  ops.push(...columnRenames);
  state = applyOperations(from, ops);
  return [...ops, ...changes(state, to)];
}

function changes(state: AppSchema, to: AppSchema): SchemaOperation[] {
  const early: SchemaOperation[] = [];
  const middle: SchemaOperation[] = [];
  const late: SchemaOperation[] = [];
  // Enum values that go are removed after the columns stop using them (and come back first on down).
  const shrinking: SchemaOperation[] = [];
  for (const [name, values] of Object.entries(to.enums)) {
    const current = state.enums[name];
    if (!current) early.push({ op: 'createEnum', name, values });
    else if (!sameJson(current, values)) (current.every((v) => values.includes(v)) ? early : shrinking).push({ op: 'alterEnum', name, from: current, to: values });
  }
  const created = Object.keys(to.tables).filter((t) => !state.tables[t]);
  for (const table of dependencyOrder(created, to)) early.push({ op: 'createTable', table, definition: to.tables[table]! });
  for (const table of Object.keys(to.tables).filter((t) => state.tables[t])) {
    const { ops, removals } = tableChanges(table, state.tables[table]!, to.tables[table]!);
    middle.push(...ops);
    late.push(...removals);
  }
  const dropped = Object.keys(state.tables).filter((t) => !to.tables[t]);
  for (const table of dependencyOrder(dropped, state).reverse()) late.push({ op: 'dropTable', table, definition: state.tables[table]! });
  late.push(...shrinking);
  for (const [name, values] of Object.entries(state.enums)) if (!to.enums[name]) late.push({ op: 'dropEnum', name, values });
  return [...early, ...middle, ...late];
}

function tableChanges(table: string, before: TableSchema, after: TableSchema): { ops: SchemaOperation[]; removals: SchemaOperation[] } {
  const removeIndexes: SchemaOperation[] = [];
  const addIndexes: SchemaOperation[] = [];
  for (const [name, index] of Object.entries(before.indexes)) {
    if (!sameJson(index, after.indexes[name])) removeIndexes.push({ op: 'removeIndex', table, name, index });
  }
  for (const [name, index] of Object.entries(after.indexes)) {
    if (!sameJson(index, before.indexes[name])) addIndexes.push({ op: 'addIndex', table, name, index });
  }
  const columns: SchemaOperation[] = [];
  for (const [column, definition] of Object.entries(after.columns)) {
    const current = before.columns[column];
    if (!current) columns.push({ op: 'addColumn', table, column, definition });
    else if (!sameJson(current, definition)) columns.push(alterColumn(table, column, current, definition));
  }
  const removals: SchemaOperation[] = Object.entries(before.columns)
    .filter(([column]) => !after.columns[column])
    .map(([column, definition]) => ({ op: 'removeColumn', table, column, definition }));
  return { ops: [...removeIndexes, ...columns, ...addIndexes], removals };
}

function alterColumn(table: string, column: string, from: ColumnSchema, to: ColumnSchema): SchemaOperation {
  for (const flag of ['primaryKey', 'autoIncrement'] as const) {
    if (Boolean(from[flag]) !== Boolean(to[flag])) {
      throw new SchemaError(
        `${table}.${column}: ${flag} changes (${Boolean(from[flag])} -> ${Boolean(to[flag])}), which make does not generate. Write that migration by hand ` +
          `(fbs-migrate create) and export its effect, e.g. export const effect = [{ op: 'alterColumn', table: '${table}', column: '${column}', from: {...}, to: {...} }].`,
      );
    }
  }
  return { op: 'alterColumn', table, column, from, to };
}

function typeOf(schema: AppSchema, column: ColumnSchema): string {
  return column.enum ? `enum(${(schema.enums[column.enum] ?? []).join(',')})` : column.type;
}

/** `tables` ordered so that a table comes after the tables (of the same list) its foreign keys reference. */
function dependencyOrder(tables: readonly string[], schema: AppSchema): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (order.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const column of Object.values(schema.tables[table]!.columns)) {
      const target = column.references?.table;
      if (target && target !== table && tables.includes(target)) visit(target);
    }
    order.push(table);
  };
  [...tables].sort().forEach(visit);
  return order;
}
