import { constraintName, enumTypeName, quoteIdent as q, quoteLiteral } from './canonical';
import type { AppSchema, ColumnSchema, SchemaOperation } from './schema-types';

/**
 * The statements (TypeScript/JavaScript, one per line) that perform `op` on PostgreSQL, given the
 * schema just before it. Tables, columns and indexes go through `queryInterface` (the same calls
 * `sync()` makes); constraint, type and enum changes are SQL through `sequelize.query`.
 */
export function renderOperation(op: SchemaOperation, state: AppSchema, siblings: readonly SchemaOperation[] = []): string[] {
  switch (op.op) {
    case 'createTable':
      return [
        `await queryInterface.createTable(${str(op.table)}, {\n${Object.entries(op.definition.columns).map(([c, d]) => `    ${key(c)}: ${attributes(d)},`).join('\n')}\n  });`,
        ...Object.entries(op.definition.indexes).map(([name, index]) => addIndex(op.table, name, index)),
      ];
    case 'dropTable':
      return [`await queryInterface.dropTable(${str(op.table)});`];
    case 'renameTable':
      return renameTable(op.from, op.to, state);
    case 'addColumn':
      return [`await queryInterface.addColumn(${str(op.table)}, ${str(op.column)}, ${attributes(op.definition)});`];
    case 'removeColumn':
      return [`await queryInterface.removeColumn(${str(op.table)}, ${str(op.column)});`];
    case 'alterColumn':
      return alterColumn(op.table, op.column, op.from, op.to).map(sql);
    case 'renameColumn':
      return renameColumn(op.table, op.from, op.to, state);
    case 'addIndex':
      return [addIndex(op.table, op.name, op.index)];
    case 'removeIndex':
      return [`await queryInterface.removeIndex(${str(op.table)}, ${str(op.name)});`];
    case 'createEnum':
      return [sql(`CREATE TYPE ${q(op.name)} AS ENUM (${op.values.map(quoteLiteral).join(', ')})`)];
    case 'dropEnum':
      return [sql(`DROP TYPE ${q(op.name)}`)];
    case 'alterEnum':
      return alterEnum(op.name, op.from, op.to, state, siblings.some((other) => usesEnum(other, op.name))).map(sql);
  }
}

/** A column as Sequelize attribute options (what `createTable`/`addColumn` take). */
function attributes(c: ColumnSchema): string {
  const parts = [`type: ${str(c.enum ? q(c.enum) : c.type.toUpperCase())}`, `allowNull: ${c.allowNull}`];
  if (c.default !== undefined) parts.push(`defaultValue: sequelize.literal(${str(c.default)})`);
  if (c.primaryKey) parts.push('primaryKey: true');
  if (c.autoIncrement) parts.push('autoIncrement: true');
  if (c.unique) parts.push('unique: true');
  if (c.references) {
    parts.push(`references: { model: ${str(c.references.table)}, key: ${str(c.references.column)} }`);
    if (c.references.onDelete !== 'NO ACTION') parts.push(`onDelete: ${str(c.references.onDelete)}`);
    if (c.references.onUpdate !== 'NO ACTION') parts.push(`onUpdate: ${str(c.references.onUpdate)}`);
  }
  return `{ ${parts.join(', ')} }`;
}

function addIndex(table: string, name: string, index: { fields: readonly string[]; unique: boolean }): string {
  return `await queryInterface.addIndex(${str(table)}, [${index.fields.map(str).join(', ')}], { name: ${str(name)}${index.unique ? ', unique: true' : ''} });`;
}

function columnType(c: ColumnSchema): string {
  return c.enum ? q(c.enum) : c.type.toUpperCase();
}

/** ALTER statements from one column definition to another: drop what goes, change type and nullability, add what comes. */
function alterColumn(table: string, column: string, from: ColumnSchema, to: ColumnSchema): string[] {
  const t = q(table);
  const c = q(column);
  const out: string[] = [];
  const fkChanged = JSON.stringify(from.references) !== JSON.stringify(to.references);
  const typeChanged = columnType(from) !== columnType(to);
  if (from.references && fkChanged) out.push(`ALTER TABLE ${t} DROP CONSTRAINT ${q(constraintName.foreignKey(table, column))}`);
  if (from.unique && !to.unique) out.push(`ALTER TABLE ${t} DROP CONSTRAINT ${q(constraintName.unique(table, column))}`);
  if (from.default !== undefined && (typeChanged || to.default !== from.default)) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
  if (typeChanged) {
    const cast = from.enum || to.enum ? `${c}::text::${columnType(to)}` : `${c}::${columnType(to)}`;
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${columnType(to)} USING ${cast}`);
  }
  if (from.allowNull !== to.allowNull) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ${to.allowNull ? 'DROP' : 'SET'} NOT NULL`);
  if (to.default !== undefined && (typeChanged || to.default !== from.default)) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${to.default}`);
  if (to.unique && !from.unique) out.push(`ALTER TABLE ${t} ADD CONSTRAINT ${q(constraintName.unique(table, column))} UNIQUE (${c})`);
  if (to.references && fkChanged) {
    const r = to.references;
    out.push(`ALTER TABLE ${t} ADD CONSTRAINT ${q(constraintName.foreignKey(table, column))} FOREIGN KEY (${c}) REFERENCES ${q(r.table)} (${q(r.column)}) ON DELETE ${r.onDelete} ON UPDATE ${r.onUpdate}`);
  }
  return out;
}

/** PostgreSQL keeps constraint, sequence and enum names on a rename: rename the ones named after the table, as `sync()` would name them. */
function renameTable(from: string, to: string, state: AppSchema): string[] {
  const out = [`await queryInterface.renameTable(${str(from)}, ${str(to)});`];
  const columns = Object.entries(state.tables[from]?.columns ?? {});
  if (columns.some(([, c]) => c.primaryKey)) out.push(sql(`ALTER TABLE ${q(to)} RENAME CONSTRAINT ${q(constraintName.primaryKey(from))} TO ${q(constraintName.primaryKey(to))}`));
  for (const [name, c] of columns) out.push(...followRename(to, { table: from, column: name }, { table: to, column: name }, c, state));
  return out;
}

function renameColumn(table: string, from: string, to: string, state: AppSchema): string[] {
  const c = state.tables[table]?.columns[from];
  const out = [`await queryInterface.renameColumn(${str(table)}, ${str(from)}, ${str(to)});`];
  return c ? [...out, ...followRename(table, { table, column: from }, { table, column: to }, c, state)] : out;
}

function followRename(table: string, before: { table: string; column: string }, after: { table: string; column: string }, c: ColumnSchema, state: AppSchema): string[] {
  const out: string[] = [];
  const t = q(table);
  if (c.unique) out.push(`ALTER TABLE ${t} RENAME CONSTRAINT ${q(constraintName.unique(before.table, before.column))} TO ${q(constraintName.unique(after.table, after.column))}`);
  if (c.references) out.push(`ALTER TABLE ${t} RENAME CONSTRAINT ${q(constraintName.foreignKey(before.table, before.column))} TO ${q(constraintName.foreignKey(after.table, after.column))}`);
  if (c.autoIncrement) out.push(`ALTER SEQUENCE IF EXISTS ${q(constraintName.sequence(before.table, before.column))} RENAME TO ${q(constraintName.sequence(after.table, after.column))}`);
  const enumName = enumTypeName(before.table, before.column);
  if (c.enum === enumName && state.enums[enumName] && !state.enums[enumTypeName(after.table, after.column)]) {
    out.push(`ALTER TYPE ${q(enumName)} RENAME TO ${q(enumTypeName(after.table, after.column))}`);
  }
  return out.map(sql);
}

/**
 * Appended values: `ALTER TYPE ... ADD VALUE`. Anything else, or when another operation of the
 * migration uses the type (PostgreSQL refuses a value added in the same transaction): a new type,
 * the columns cast to it, the old one dropped.
 */
function alterEnum(name: string, from: readonly string[], to: readonly string[], state: AppSchema, usedLater: boolean): string[] {
  if (!usedLater && from.every((v, i) => to[i] === v)) return to.slice(from.length).map((v) => `ALTER TYPE ${q(name)} ADD VALUE ${quoteLiteral(v)}`);
  const old = `${name}_old`;
  const out = [`ALTER TYPE ${q(name)} RENAME TO ${q(old)}`, `CREATE TYPE ${q(name)} AS ENUM (${to.map(quoteLiteral).join(', ')})`];
  for (const [table, t] of Object.entries(state.tables)) {
    for (const [column, c] of Object.entries(t.columns)) {
      if (c.enum !== name) continue;
      if (c.default !== undefined) out.push(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} DROP DEFAULT`);
      out.push(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} TYPE ${q(name)} USING ${q(column)}::text::${q(name)}`);
      // A default that names a removed value stays dropped (the migration's alterColumn sets the new one).
      if (c.default !== undefined && to.map(quoteLiteral).includes(c.default)) out.push(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} SET DEFAULT ${c.default}`);
    }
  }
  out.push(`DROP TYPE ${q(old)}`);
  return out;
}

function usesEnum(op: SchemaOperation, name: string): boolean {
  const columns = op.op === 'createTable' ? Object.values(op.definition.columns) : op.op === 'addColumn' ? [op.definition] : op.op === 'alterColumn' ? [op.to] : [];
  return columns.some((c) => c.enum === name && c.default !== undefined);
}

function sql(text: string): string {
  return `await sequelize.query(${str(text)});`;
}

/** A JavaScript string literal (single quotes, or a template literal when the text has single quotes). */
export function str(text: string): string {
  if (!text.includes("'") && !text.includes('\\') && !text.includes('\n')) return `'${text}'`;
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}
