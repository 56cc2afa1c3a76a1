import type { Project } from '@fbs/core';
import { DataTypes, Utils, type ModelAttributeColumnOptions, type ModelStatic, type Model } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { SchemaError } from '../errors';
import { canonicalType, enumTypeName, normalizeDefault } from './canonical';
import type { AppSchema, ColumnSchema, IndexSchema, TableSchema } from './schema-types';
import { sortedSchema } from './schema-json';

/**
 * The schema the models of each app declare, read from Sequelize's model definitions (attributes,
 * `@Table({ indexes })`, association foreign keys) on an offline PostgreSQL Sequelize: no
 * database is needed. Keys are app labels.
 *
 * @example
 * ```ts
 * const schemas = modelSchemas(project);
 * console.log(Object.keys(schemas.get('shop')!.tables)); // ['shop_order', ...]
 * ```
 */
export function modelSchemas(project: Project): Map<string, AppSchema> {
  const sequelize = new Sequelize({ dialect: 'postgres', repositoryMode: true, logging: false });
  const metas = project.apps.models();
  sequelize.addModels(metas.map((m) => m.model as any));
  const result = new Map<string, AppSchema>();
  for (const app of project.apps.apps()) {
    const tables: Record<string, TableSchema> = {};
    const enums: Record<string, string[]> = {};
    for (const meta of metas.filter((m) => m.appLabel === app.label)) {
      const model = sequelize.getRepository(meta.model as any) as unknown as ModelStatic<Model>;
      const table = tableNameOf(model, meta.label);
      if (tables[table]) throw new SchemaError(`App '${app.label}': two models use table '${table}' (${meta.label} is the second). Give one a different tableName.`);
      tables[table] = modelTable(model, table, meta.label, enums, (value) => sequelize.escape(value as any));
      checkThroughModels(model, meta.label, new Set(metas.map((m) => m.model)));
    }
    result.set(app.label, sortedSchema({ tables, enums }));
  }
  return result;
}

function tableNameOf(model: ModelStatic<Model>, label: string): string {
  const name = model.getTableName() as string | { tableName: string; schema?: string };
  if (typeof name === 'string') return name;
  if (name.schema && name.schema !== 'public') {
    throw new SchemaError(`${label} lives in schema '${name.schema}'; make handles tables of the public schema only. Write this model's migrations by hand (fbs-migrate create).`);
  }
  return name.tableName;
}

function modelTable(model: ModelStatic<Model>, table: string, label: string, enums: Record<string, string[]>, escape: (value: unknown) => string): TableSchema {
  const columns: Record<string, ColumnSchema> = {};
  for (const [name, attribute] of Object.entries(model.getAttributes()) as [string, ModelAttributeColumnOptions][]) {
    if (attribute.type instanceof DataTypes.VIRTUAL) continue;
    const field = (attribute as { field?: string }).field ?? name;
    columns[field] = modelColumn(attribute, table, field, `${label}.${name}`, enums, escape);
  }
  const indexes: Record<string, IndexSchema> = {};
  for (const declared of model.options.indexes ?? []) {
    const index = modelIndex(declared as Record<string, unknown>, table, label);
    indexes[index.name] = { fields: index.fields, unique: index.unique };
  }
  return { columns, indexes };
}

function modelColumn(attribute: ModelAttributeColumnOptions, table: string, field: string, where: string, enums: Record<string, string[]>, escape: (value: unknown) => string): ColumnSchema {
  const type = attribute.type as unknown;
  const column: { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] } = { type: '', allowNull: attribute.primaryKey ? false : attribute.allowNull !== false };
  if (type instanceof DataTypes.ENUM) {
    const values = ((attribute as { values?: string[] }).values ?? (type as { values: string[] }).values).map(String);
    const name = enumTypeName(table, field);
    enums[name] = values;
    column.type = 'enum';
    column.enum = name;
  } else if (type instanceof DataTypes.ARRAY && (type as unknown as { type: unknown }).type instanceof DataTypes.ENUM) {
    throw new SchemaError(`${where}: ARRAY(ENUM) columns are not handled by make; write this migration by hand (fbs-migrate create).`);
  } else {
    column.type = canonicalType(String(type));
  }
  if (Utils.defaultValueSchemable(attribute.defaultValue as any)) column.default = normalizeDefault(escape(attribute.defaultValue));
  if (attribute.primaryKey) column.primaryKey = true;
  if (attribute.autoIncrement) column.autoIncrement = true;
  if (attribute.unique === true) column.unique = true;
  else if (attribute.unique) {
    throw new SchemaError(`${where}: named unique keys (unique: ${JSON.stringify(attribute.unique)}) are not handled by make; declare @Table({ indexes: [{ unique: true, fields: [...] }] }) instead.`);
  }
  const references = attribute.references as { model?: unknown; key?: string } | string | undefined;
  if (references) {
    const target = typeof references === 'string' ? references : references.model;
    column.references = {
      table: referencedTable(target, where),
      column: (typeof references === 'object' && references.key) || 'id',
      onDelete: (attribute.onDelete ?? 'NO ACTION').toUpperCase(),
      onUpdate: (attribute.onUpdate ?? 'NO ACTION').toUpperCase(),
    };
  }
  return column;
}

function referencedTable(target: unknown, where: string): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'function' && typeof (target as ModelStatic<Model>).getTableName === 'function') return referencedTable((target as ModelStatic<Model>).getTableName(), where);
  if (target && typeof target === 'object' && typeof (target as { tableName?: unknown }).tableName === 'string') return (target as { tableName: string }).tableName;
  throw new SchemaError(`${where}: cannot tell which table its foreign key references (${String(target)}).`);
}

function modelIndex(declared: Record<string, unknown>, table: string, label: string): { name: string; fields: string[]; unique: boolean } {
  const fields = ((declared.fields as unknown[]) ?? []).map((f) => {
    const name = typeof f === 'string' ? f : ((f as { name?: unknown; attribute?: unknown }).name ?? (f as { attribute?: unknown }).attribute);
    if (typeof name !== 'string') {
      throw new SchemaError(`${label}: index ${JSON.stringify(declared.name ?? '(unnamed)')} has an expression field, which make does not generate; create that index in a hand-written migration and leave it out of @Table({ indexes }).`);
    }
    return name;
  });
  const unsupported = ['where', 'using', 'operator', 'concurrently', 'parser'].filter((k) => declared[k] !== undefined && declared[k] !== null && declared[k] !== false);
  if ((declared.type as string | undefined)?.toLowerCase() && (declared.type as string).toLowerCase() !== 'unique') unsupported.push('type');
  if (unsupported.length > 0) {
    throw new SchemaError(`${label}: index ${JSON.stringify(declared.name ?? fields)} uses ${unsupported.join(', ')}, which make does not generate; create that index in a hand-written migration and leave it out of @Table({ indexes }).`);
  }
  const name = (declared.name as string | undefined) ?? underscore(`${table}_${fields.join('_')}`);
  return { name, fields, unique: declared.unique === true || (declared.type as string | undefined)?.toLowerCase() === 'unique' };
}

// Sequelize's default index name (Utils.nameIndex: inflection's underscore of `<table>_<fields>`).
function underscore(text: string): string {
  return text.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

// belongsToMany without a declared through model makes Sequelize generate one, which no app owns.
function checkThroughModels(model: ModelStatic<Model>, label: string, registered: ReadonlySet<Function>): void {
  for (const [as, association] of Object.entries(model.associations)) {
    const through = (association as { through?: { model?: ModelStatic<Model> } }).through?.model;
    if (association.associationType !== 'BelongsToMany' || !through) continue;
    const declared = [...registered].some((m) => m === through || (m as { name?: string }).name === through.name);
    if (!declared) {
      throw new SchemaError(`${label}.${as}: belongsToMany generates the through table '${String(through.getTableName())}', which no app declares. Declare the through model (a class with both @ForeignKey columns), register it in an app, and pass it as \`through\`.`);
    }
  }
}
