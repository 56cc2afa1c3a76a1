/**
 * The schema of an app's tables as `make` sees it: what its models declare, what its migrations
 * produce (the snapshot), or what a live database holds. Plain JSON, PostgreSQL-canonical types
 * (`format_type()` spelling: `character varying(255)`, `timestamp with time zone`, `integer`).
 */
export interface AppSchema {
  /** Table name → table. */
  readonly tables: Readonly<Record<string, TableSchema>>;
  /** PostgreSQL ENUM type name → its values, in order. */
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

/** One table: columns and (non-constraint) indexes. */
export interface TableSchema {
  readonly columns: Readonly<Record<string, ColumnSchema>>;
  /** Index name → index (primary keys and unique columns are not listed here: see {@link ColumnSchema}). */
  readonly indexes: Readonly<Record<string, IndexSchema>>;
}

/** One column. Flags that are off are omitted, so snapshots stay short and diffs stay readable. */
export interface ColumnSchema {
  /** Canonical PostgreSQL type, e.g. `integer`, `character varying(255)`; `enum` when {@link enum} is set. */
  readonly type: string;
  /** The ENUM type of the column (its name, a key of {@link AppSchema.enums}). */
  readonly enum?: string;
  readonly allowNull: boolean;
  /** The default, as an SQL expression (`'draft'`, `0`, `true`, `now()`). */
  readonly default?: string;
  readonly primaryKey?: true;
  readonly autoIncrement?: true;
  /** A single-column UNIQUE constraint (named `<table>_<column>_key`, as PostgreSQL names it). */
  readonly unique?: true;
  /** A foreign key (named `<table>_<column>_fkey`). */
  readonly references?: ForeignKeySchema;
}

/** Where a foreign key points, and its actions (upper case: `CASCADE`, `SET NULL`, `RESTRICT`, `NO ACTION`, `SET DEFAULT`). */
export interface ForeignKeySchema {
  readonly table: string;
  readonly column: string;
  readonly onDelete: string;
  readonly onUpdate: string;
}

/** An index over columns, in order. */
export interface IndexSchema {
  readonly fields: readonly string[];
  readonly unique: boolean;
}

/**
 * One schema change. Each carries what its inverse needs, so `down` is the reversed list of
 * inverted operations. Generated migrations export their operations as `effect`; a hand-written
 * migration may export the same shape to tell `make` what it does.
 *
 * @example
 * ```ts
 * export const effect: SchemaOperation[] = [
 *   { op: 'addColumn', table: 'shop_order', column: 'note', definition: { type: 'text', allowNull: true } },
 * ];
 * ```
 */
export type SchemaOperation =
  | { readonly op: 'createTable'; readonly table: string; readonly definition: TableSchema }
  | { readonly op: 'dropTable'; readonly table: string; readonly definition: TableSchema }
  | { readonly op: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly op: 'addColumn'; readonly table: string; readonly column: string; readonly definition: ColumnSchema }
  | { readonly op: 'removeColumn'; readonly table: string; readonly column: string; readonly definition: ColumnSchema }
  | { readonly op: 'alterColumn'; readonly table: string; readonly column: string; readonly from: ColumnSchema; readonly to: ColumnSchema }
  | { readonly op: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  | { readonly op: 'addIndex'; readonly table: string; readonly name: string; readonly index: IndexSchema }
  | { readonly op: 'removeIndex'; readonly table: string; readonly name: string; readonly index: IndexSchema }
  | { readonly op: 'createEnum'; readonly name: string; readonly values: readonly string[] }
  | { readonly op: 'dropEnum'; readonly name: string; readonly values: readonly string[] }
  | { readonly op: 'alterEnum'; readonly name: string; readonly from: readonly string[]; readonly to: readonly string[] };

/** The operation kinds, for validation. */
export const OPERATION_KINDS = Object.freeze([
  'createTable', 'dropTable', 'renameTable', 'addColumn', 'removeColumn', 'alterColumn', 'renameColumn', 'addIndex', 'removeIndex', 'createEnum', 'dropEnum', 'alterEnum',
] as const);

/** An empty schema. */
export const EMPTY_SCHEMA: AppSchema = Object.freeze({ tables: Object.freeze({}), enums: Object.freeze({}) });
