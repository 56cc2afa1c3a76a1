import type { SchemaOperation } from './schema-types';

/**
 * A snake_case name for a generated migration, from its operations (as Django names them):
 * `initial` for an app's first, `add_shop_order_note` for one operation, `..._and_more` for several.
 *
 * @example
 * ```ts
 * migrationName([{ op: 'dropTable', table: 'shop_cart', definition }], false); // 'drop_shop_cart'
 * ```
 */
export function migrationName(operations: readonly SchemaOperation[], first: boolean): string {
  if (first) return 'initial';
  const words = (op: SchemaOperation): string => {
    switch (op.op) {
      case 'createTable': return `create_${op.table}`;
      case 'dropTable': return `drop_${op.table}`;
      case 'renameTable': return `rename_${op.from}_${op.to}`;
      case 'addColumn': return `add_${op.table}_${op.column}`;
      case 'removeColumn': return `remove_${op.table}_${op.column}`;
      case 'alterColumn': return `alter_${op.table}_${op.column}`;
      case 'renameColumn': return `rename_${op.table}_${op.from}_${op.to}`;
      case 'addIndex': return `add_index_${op.name}`;
      case 'removeIndex': return `remove_index_${op.name}`;
      case 'createEnum': return `create_${op.name}`;
      case 'dropEnum': return `drop_${op.name}`;
      case 'alterEnum': return `alter_${op.name}`;
    }
  };
  const meaningful = operations.filter((op) => op.op !== 'createEnum' && op.op !== 'dropEnum');
  const main = (meaningful[0] ?? operations[0])!;
  const name = (words(main) + (operations.length > 1 && meaningful.length !== 1 ? '_and_more' : '')).toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return name.length > 60 ? name.slice(0, 60).replace(/_+$/, '') : name;
}
