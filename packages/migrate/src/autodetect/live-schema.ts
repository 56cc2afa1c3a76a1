import { QueryTypes, type Sequelize } from 'sequelize';
import { canonicalType, normalizeDefault } from './canonical';
import { sortedSchema } from './schema-json';
import type { AppSchema, ColumnSchema, TableSchema } from './schema-types';

const COLUMNS = `
SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type", t.typtype AS "typtype", t.typname AS "typname",
       NOT a.attnotnull AS "nullable", a.attidentity AS "identity", pg_get_expr(d.adbin, d.adrelid) AS "default"
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND c.relname = ANY($1)
ORDER BY c.relname, a.attnum`;

const CONSTRAINTS = `
SELECT c.relname AS "table", con.conname AS "name", con.contype AS "kind",
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS "columns",
       f.relname AS "target",
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS "targetColumns",
       con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class f ON f.oid = con.confrelid
WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f') AND c.relname = ANY($1)
ORDER BY c.relname, con.conname`;

const INDEXES = `
SELECT t.relname AS "table", i.relname AS "name", ix.indisunique AS "unique",
       ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) AS "fields"
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND t.relname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY t.relname, i.relname`;

const ENUMS = `
SELECT t.typname AS "name", ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS "values"
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typtype = 'e' AND t.typname = ANY($1)`;

const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * The schema of `tables` as a live PostgreSQL database holds it (pg_catalog, public schema),
 * in the same shape and spelling as {@link modelSchemas}: what `make --from-database` starts from
 * and what `check --schema` compares the models with. Tables that do not exist are left out.
 *
 * @example
 * ```ts
 * const live = await liveSchema(project.connection('default'), ['shop_order']);
 * ```
 */
export async function liveSchema(sequelize: Sequelize, tables: readonly string[]): Promise<AppSchema> {
  const select = <T extends object>(sql: string, bind: unknown[]) => sequelize.query<T>(sql, { type: QueryTypes.SELECT, bind });
  const columns = await select<{ table: string; column: string; type: string; typtype: string; typname: string; nullable: boolean; identity: string; default: string | null }>(COLUMNS, [tables]);
  const result: Record<string, { columns: Record<string, { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] }>; indexes: Record<string, TableSchema['indexes'][string]> }> = {};
  const enumNames = new Set<string>();
  for (const row of columns) {
    const table = (result[row.table] ??= { columns: {}, indexes: {} });
    const column: { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] } = { type: row.typtype === 'e' ? 'enum' : canonicalType(row.type), allowNull: row.nullable };
    if (row.typtype === 'e') {
      column.enum = row.typname;
      enumNames.add(row.typname);
    }
    if (row.identity || (row.default !== null && /^nextval\(/i.test(row.default))) column.autoIncrement = true;
    else if (row.default !== null) column.default = normalizeDefault(row.default);
    table.columns[row.column] = column;
  }
  const constraints = await select<{ table: string; name: string; kind: string; columns: string[]; target: string | null; targetColumns: string[]; onDelete: string; onUpdate: string }>(CONSTRAINTS, [tables]);
  for (const row of constraints) {
    const table = result[row.table];
    if (!table) continue;
    const first = table.columns[row.columns[0]!];
    if (row.kind === 'p') for (const c of row.columns) table.columns[c]!.primaryKey = true;
    else if (row.kind === 'u' && row.columns.length === 1 && first) first.unique = true;
    else if (row.kind === 'u') table.indexes[row.name] = { fields: row.columns, unique: true };
    else if (row.kind === 'f' && row.columns.length === 1 && first && row.target) {
      first.references = { table: row.target, column: row.targetColumns[0]!, onDelete: ACTIONS[row.onDelete] ?? row.onDelete, onUpdate: ACTIONS[row.onUpdate] ?? row.onUpdate };
    }
  }
  for (const row of await select<{ table: string; name: string; unique: boolean; fields: string[] }>(INDEXES, [tables])) {
    if (result[row.table]) result[row.table]!.indexes[row.name] = { fields: row.fields, unique: row.unique };
  }
  const enums: Record<string, string[]> = {};
  for (const row of await select<{ name: string; values: string[] }>(ENUMS, [[...enumNames]])) enums[row.name] = row.values;
  return sortedSchema({ tables: result, enums });
}
