/**
 * One spelling per PostgreSQL type and default, so that what a model declares (Sequelize's
 * `VARCHAR(255)`), what a snapshot records and what `format_type()` reports compare equal.
 */

const ALIASES: readonly [RegExp, string][] = [
  [/^varchar(\(\d+\))?$/, 'character varying$1'],
  [/^character varying(\(\d+\))?$/, 'character varying$1'],
  [/^char(\(\d+\))?$/, 'character$1'],
  [/^(int|int4|integer)$/, 'integer'],
  [/^(int8|bigint)$/, 'bigint'],
  [/^(int2|smallint)$/, 'smallint'],
  [/^(float|float8|double|double precision)$/, 'double precision'],
  [/^(float4|real)$/, 'real'],
  [/^(decimal|numeric)(\(\d+, ?\d+\)|\(\d+\))?$/, 'numeric$2'],
  [/^(bool|boolean)$/, 'boolean'],
  [/^timestamptz$/, 'timestamp with time zone'],
  [/^timestamp$/, 'timestamp without time zone'],
  [/^time$/, 'time without time zone'],
  [/^blob$/, 'bytea'],
];

/**
 * The canonical (lower-case, `format_type()`) spelling of a PostgreSQL type.
 *
 * @example
 * ```ts
 * canonicalType('VARCHAR(255)'); // 'character varying(255)'
 * canonicalType('DECIMAL(10,2)'); // 'numeric(10,2)'
 * ```
 */
export function canonicalType(sql: string): string {
  let type = sql.trim().toLowerCase().replace(/\s+/g, ' ');
  let suffix = '';
  while (type.endsWith('[]')) {
    suffix += '[]';
    type = type.slice(0, -2).trim();
  }
  for (const [pattern, replacement] of ALIASES) {
    if (pattern.test(type)) {
      type = type.replace(pattern, replacement);
      break;
    }
  }
  return type.replace(/\((\d+), (\d+)\)/, '($1,$2)') + suffix;
}

/**
 * The canonical spelling of a column default: casts PostgreSQL adds (`'x'::character varying`) and
 * redundant parentheses are dropped, and a quoted number (`'-1'`) becomes the number.
 *
 * @example
 * ```ts
 * normalizeDefault("'draft'::character varying"); // "'draft'"
 * ```
 */
export function normalizeDefault(sql: string): string {
  let value = sql.trim();
  for (;;) {
    const unwrapped = /^\((.*)\)$/s.exec(value);
    if (unwrapped && balanced(unwrapped[1]!)) {
      value = unwrapped[1]!.trim();
      continue;
    }
    const cast = /^(.*?)::(?:"[^"]+"|[a-z_][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?)(?:\[\])*$/is.exec(value);
    if (cast && !insideQuotes(cast[1]!)) {
      value = cast[1]!.trim();
      continue;
    }
    break;
  }
  const quotedNumber = /^'(-?\d+(?:\.\d+)?)'$/.exec(value);
  if (quotedNumber) return quotedNumber[1]!;
  if (/^(current_timestamp|now\(\))$/i.test(value)) return 'now()';
  return /^(true|false|null)$/i.test(value) ? value.toLowerCase() : value;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function insideQuotes(prefix: string): boolean {
  return (prefix.split("'").length - 1) % 2 === 1;
}

/** The ENUM type name Sequelize (and so `sync()`) gives a column: `enum_<table>_<column>`. */
export function enumTypeName(table: string, column: string): string {
  return `enum_${table}_${column}`;
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** PostgreSQL's default constraint and sequence names (shortened past 63 bytes the way the server does, for ASCII names). */
export const constraintName = {
  primaryKey: (table: string) => objectName(table, undefined, 'pkey'),
  unique: (table: string, column: string) => objectName(table, column, 'key'),
  foreignKey: (table: string, column: string) => objectName(table, column, 'fkey'),
  sequence: (table: string, column: string) => objectName(table, column, 'seq'),
};

// PostgreSQL's makeObjectName(): while too long, shorten the longer of the two names.
function objectName(name1: string, name2: string | undefined, label: string): string {
  let a = name1;
  let b = name2 ?? '';
  const extra = label.length + 1 + (name2 === undefined ? 0 : 1);
  while (a.length + b.length + extra > 63) {
    if (a.length > b.length) a = a.slice(0, -1);
    else b = b.slice(0, -1);
  }
  return name2 === undefined ? `${a}_${label}` : `${a}_${b}_${label}`;
}
