import { SchemaError } from '../errors';
import { enumTypeName } from './canonical';
import { sameJson, sortedSchema } from './schema-json';
import { OPERATION_KINDS, type AppSchema, type ColumnSchema, type SchemaOperation, type TableSchema } from './schema-types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type State = Mutable<AppSchema> & { tables: Record<string, Mutable<TableSchema>>; enums: Record<string, string[]> };

/**
 * The schema after `operations` ran on `schema` (pure). An operation that does not fit (a column
 * added to a missing table, an enum created twice) is a {@link SchemaError} naming it and `where`.
 *
 * @example
 * ```ts
 * const next = applyOperations(EMPTY_SCHEMA, [{ op: 'createEnum', name: 'enum_t_s', values: ['a'] }]);
 * ```
 */
export function applyOperations(schema: AppSchema, operations: readonly SchemaOperation[], where = 'the operations'): AppSchema {
  const state = structuredClone(schema) as State;
  operations.forEach((op, i) => apply(state, op, `${where}, operation ${i + 1} (${op?.op})`));
  return sortedSchema(state);
}

function apply(state: State, op: SchemaOperation, where: string): void {
  if (!op || typeof op !== 'object' || !OPERATION_KINDS.includes(op.op)) {
    throw new SchemaError(`${where}: not a schema operation; expected { op: ${OPERATION_KINDS.join(' | ')}, ... }, got ${JSON.stringify(op)}.`);
  }
  checkDefinitions(op, where);
  const table = (name: string) => state.tables[name] ?? fail(`${where}: table '${name}' does not exist at that point.`);
  const column = (t: string, c: string) => table(t).columns[c] ?? fail(`${where}: column '${t}.${c}' does not exist at that point.`);
  switch (op.op) {
    case 'createTable':
      if (state.tables[op.table]) fail(`${where}: table '${op.table}' already exists.`);
      state.tables[op.table] = structuredClone(op.definition) as Mutable<TableSchema>;
      return;
    case 'dropTable':
      table(op.table);
      delete state.tables[op.table];
      return;
    case 'renameTable':
      return renameTable(state, op.from, op.to, where);
    case 'addColumn':
      if (table(op.table).columns[op.column]) fail(`${where}: column '${op.table}.${op.column}' already exists.`);
      table(op.table).columns[op.column] = structuredClone(op.definition) as Mutable<ColumnSchema>;
      return;
    case 'removeColumn':
      column(op.table, op.column);
      delete table(op.table).columns[op.column];
      for (const [name, index] of Object.entries(table(op.table).indexes)) if (index.fields.includes(op.column)) delete table(op.table).indexes[name];
      return;
    case 'alterColumn':
      column(op.table, op.column);
      table(op.table).columns[op.column] = structuredClone(op.to) as Mutable<ColumnSchema>;
      return;
    case 'renameColumn':
      return renameColumn(state, op.table, op.from, op.to, where);
    case 'addIndex':
      if (table(op.table).indexes[op.name]) fail(`${where}: index '${op.name}' already exists on '${op.table}'.`);
      table(op.table).indexes[op.name] = structuredClone(op.index) as Mutable<TableSchema['indexes'][string]>;
      return;
    case 'removeIndex':
      if (!table(op.table).indexes[op.name]) fail(`${where}: index '${op.name}' does not exist on '${op.table}'.`);
      delete table(op.table).indexes[op.name];
      return;
    case 'createEnum':
      if (state.enums[op.name]) fail(`${where}: enum type '${op.name}' already exists.`);
      state.enums[op.name] = [...op.values];
      return;
    case 'dropEnum':
      if (!state.enums[op.name]) fail(`${where}: enum type '${op.name}' does not exist.`);
      delete state.enums[op.name];
      return;
    case 'alterEnum':
      if (!state.enums[op.name]) fail(`${where}: enum type '${op.name}' does not exist.`);
      state.enums[op.name] = [...op.to];
      return;
  }
}

function checkDefinitions(op: SchemaOperation, where: string): void {
  const columns: [string, unknown][] =
    op.op === 'createTable' || op.op === 'dropTable' ? Object.entries(op.definition?.columns ?? fail(`${where}: \`definition.columns\` is missing.`))
    : op.op === 'addColumn' || op.op === 'removeColumn' ? [[op.column, op.definition]]
    : op.op === 'alterColumn' ? [[op.column, op.from], [op.column, op.to]]
    : [];
  for (const [name, c] of columns) {
    const column = c as ColumnSchema | undefined;
    if (!column || typeof column.type !== 'string' || typeof column.allowNull !== 'boolean') {
      fail(`${where}: column '${name}' needs at least { type: 'integer', allowNull: true } (a canonical PostgreSQL type and a boolean), got ${JSON.stringify(c)}.`);
    }
  }
}

function renameTable(state: State, from: string, to: string, where: string): void {
  const definition = state.tables[from] ?? fail(`${where}: table '${from}' does not exist at that point.`);
  if (state.tables[to]) fail(`${where}: table '${to}' already exists.`);
  delete state.tables[from];
  state.tables[to] = definition;
  for (const [name, column] of Object.entries(definition.columns)) {
    if (column.enum === enumTypeName(from, name)) column.enum = moveEnum(state, column.enum, enumTypeName(to, name));
  }
  for (const t of Object.values(state.tables)) {
    for (const column of Object.values(t.columns)) if (column.references?.table === from) column.references = { ...column.references, table: to };
  }
}

function renameColumn(state: State, table: string, from: string, to: string, where: string): void {
  const t = state.tables[table] ?? fail(`${where}: table '${table}' does not exist at that point.`);
  const column = t.columns[from] ?? fail(`${where}: column '${table}.${from}' does not exist at that point.`);
  if (t.columns[to]) fail(`${where}: column '${table}.${to}' already exists.`);
  delete t.columns[from];
  t.columns[to] = column;
  if (column.enum === enumTypeName(table, from)) column.enum = moveEnum(state, column.enum, enumTypeName(table, to));
  for (const index of Object.values(t.indexes)) index.fields = index.fields.map((f) => (f === from ? to : f));
  for (const other of Object.values(state.tables)) {
    for (const c of Object.values(other.columns)) if (c.references?.table === table && c.references.column === from) c.references = { ...c.references, column: to };
  }
}

// Enum types named after their column follow a rename (the rendered SQL renames the type too).
function moveEnum(state: State, from: string, to: string): string {
  if (state.enums[from] && !state.enums[to]) {
    state.enums[to] = state.enums[from]!;
    delete state.enums[from];
    return to;
  }
  return from;
}

/** The operation that undoes `op`. */
export function invertOperation(op: SchemaOperation): SchemaOperation {
  switch (op.op) {
    case 'createTable': return { op: 'dropTable', table: op.table, definition: op.definition };
    case 'dropTable': return { op: 'createTable', table: op.table, definition: op.definition };
    case 'renameTable': return { op: 'renameTable', from: op.to, to: op.from };
    case 'addColumn': return { op: 'removeColumn', table: op.table, column: op.column, definition: op.definition };
    case 'removeColumn': return { op: 'addColumn', table: op.table, column: op.column, definition: op.definition };
    case 'alterColumn': return { op: 'alterColumn', table: op.table, column: op.column, from: op.to, to: op.from };
    case 'renameColumn': return { op: 'renameColumn', table: op.table, from: op.to, to: op.from };
    case 'addIndex': return { op: 'removeIndex', table: op.table, name: op.name, index: op.index };
    case 'removeIndex': return { op: 'addIndex', table: op.table, name: op.name, index: op.index };
    case 'createEnum': return { op: 'dropEnum', name: op.name, values: op.values };
    case 'dropEnum': return { op: 'createEnum', name: op.name, values: op.values };
    case 'alterEnum': return { op: 'alterEnum', name: op.name, from: op.to, to: op.from };
  }
}

/**
 * One human-readable line per operation (what `make --check` prints).
 *
 * @example
 * ```ts
 * describeOperation({ op: 'renameColumn', table: 't', from: 'a', to: 'b' }); // 'rename column t.a to b'
 * ```
 */
export function describeOperation(op: SchemaOperation): string {
  switch (op.op) {
    case 'createTable': return `create table ${op.table} (${Object.keys(op.definition.columns).join(', ')})${Object.keys(op.definition.indexes).length > 0 ? ` with index ${Object.keys(op.definition.indexes).join(', ')}` : ''}`;
    case 'dropTable': return `drop table ${op.table}`;
    case 'renameTable': return `rename table ${op.from} to ${op.to}`;
    case 'addColumn': return `add column ${op.table}.${op.column} ${describeColumn(op.definition)}`;
    case 'removeColumn': return `remove column ${op.table}.${op.column}`;
    case 'alterColumn': return `alter column ${op.table}.${op.column}: ${describeChange(op.from, op.to)}`;
    case 'renameColumn': return `rename column ${op.table}.${op.from} to ${op.to}`;
    case 'addIndex': return `add ${op.index.unique ? 'unique ' : ''}index ${op.name} on ${op.table} (${op.index.fields.join(', ')})`;
    case 'removeIndex': return `remove index ${op.name} from ${op.table}`;
    case 'createEnum': return `create enum type ${op.name} (${op.values.join(', ')})`;
    case 'dropEnum': return `drop enum type ${op.name}`;
    case 'alterEnum': return `alter enum type ${op.name}: (${op.from.join(', ')}) -> (${op.to.join(', ')})`;
  }
}

/** A column in one line: `character varying(255) NOT NULL DEFAULT 'x' UNIQUE REFERENCES t(id)`. */
export function describeColumn(c: ColumnSchema): string {
  return [
    c.enum ?? c.type,
    c.allowNull ? 'NULL' : 'NOT NULL',
    c.default !== undefined ? `DEFAULT ${c.default}` : '',
    c.primaryKey ? 'PRIMARY KEY' : '',
    c.autoIncrement ? 'AUTOINCREMENT' : '',
    c.unique ? 'UNIQUE' : '',
    c.references ? `REFERENCES ${c.references.table}(${c.references.column}) ON DELETE ${c.references.onDelete} ON UPDATE ${c.references.onUpdate}` : '',
  ].filter(Boolean).join(' ');
}

function describeChange(from: ColumnSchema, to: ColumnSchema): string {
  const parts: string[] = [];
  if ((from.enum ?? from.type) !== (to.enum ?? to.type)) parts.push(`type ${from.enum ?? from.type} -> ${to.enum ?? to.type}`);
  if (from.allowNull !== to.allowNull) parts.push(to.allowNull ? 'drop NOT NULL' : 'set NOT NULL');
  if (from.default !== to.default) parts.push(to.default === undefined ? 'drop default' : `default ${to.default}`);
  if (Boolean(from.unique) !== Boolean(to.unique)) parts.push(to.unique ? 'add unique' : 'drop unique');
  if (!sameJson(from.references, to.references)) parts.push(to.references ? `foreign key -> ${to.references.table}(${to.references.column})` : 'drop foreign key');
  return parts.join(', ');
}

function fail(message: string): never {
  throw new SchemaError(message);
}
