import { getAttributes } from 'sequelize-typescript';
import type { ModelMeta } from './router';

/** Data types whose PostgreSQL OIDs are built in (the same in every database of a server). */
const BUILTIN = new Set([
  'STRING', 'CHAR', 'TEXT', 'INTEGER', 'BIGINT', 'SMALLINT', 'MEDIUMINT', 'TINYINT', 'NUMBER', 'FLOAT', 'REAL', 'DOUBLE',
  'DOUBLE PRECISION', 'DECIMAL', 'BOOLEAN', 'DATE', 'DATEONLY', 'TIME', 'NOW', 'UUID', 'UUIDV1', 'UUIDV4', 'JSON', 'JSONB', 'BLOB',
  'VIRTUAL', 'INET', 'CIDR', 'MACADDR', 'TSVECTOR',
]);

function builtin(type: unknown): boolean {
  if (type === undefined || type === null) return true;
  if (typeof type === 'string') return BUILTIN.has(type.toUpperCase().replace(/\(.*$/, '').trim());
  const t = type as { key?: string; type?: unknown; _subtype?: string; options?: { subtype?: unknown } };
  const key = t.key ?? (type as { prototype?: { key?: string } }).prototype?.key;
  if (key === 'ARRAY') return builtin(t.type);
  if (key === 'RANGE') return true; // ranges of built-in subtypes are built in
  return key !== undefined && BUILTIN.has(key);
}

/** Whether every attribute of these models has a built-in PostgreSQL type (no enum, hstore, citext, PostGIS…). */
export function usesBuiltinTypesOnly(metas: readonly ModelMeta[]): boolean {
  for (const meta of metas) {
    const attributes = (getAttributes(meta.model.prototype) ?? {}) as Record<string, { type?: unknown } | unknown>;
    for (const attribute of Object.values(attributes)) {
      const type = attribute && typeof attribute === 'object' && 'type' in (attribute as object) ? (attribute as { type: unknown }).type : attribute;
      if (!builtin(type)) return false;
    }
  }
  return true;
}
