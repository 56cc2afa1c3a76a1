import { DataTypes as T } from 'sequelize';
import type { MigrationContext } from '@fbs/core';
import { id, references, timestamps } from '../../../migration-columns';

export const name = '0001_initial';

/** solution_erp's tables in each fbs_{solution}_db: customers, products, orders and their lines. */
export async function up({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  await q.createTable('solution_erp_customer', {
    id, name: { type: T.STRING, allowNull: false }, email: { type: T.STRING }, ...timestamps(),
  }, { transaction });
  await q.createTable('solution_erp_product', {
    id, sku: { type: T.STRING(32), allowNull: false, unique: true }, name: { type: T.STRING, allowNull: false },
    price: { type: T.DECIMAL(12, 2), allowNull: false }, ...timestamps(),
  }, { transaction });
  await q.createTable('solution_erp_order', {
    id, number: { type: T.STRING(32), allowNull: false, unique: true },
    customer_id: { ...references('solution_erp_customer', { allowNull: true }), onDelete: 'SET NULL' },
    status: { type: T.STRING(16), allowNull: false, defaultValue: 'draft' }, total: { type: T.DECIMAL(12, 2), allowNull: false, defaultValue: 0 },
    ...timestamps(),
  }, { transaction });
  await q.createTable('solution_erp_order_line', {
    id, order_id: references('solution_erp_order'), product_id: { ...references('solution_erp_product'), onDelete: 'RESTRICT' },
    quantity: { type: T.INTEGER, allowNull: false }, unit_price: { type: T.DECIMAL(12, 2), allowNull: false }, ...timestamps(),
  }, { transaction });
}

export async function down({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  for (const table of ['solution_erp_order_line', 'solution_erp_order', 'solution_erp_product', 'solution_erp_customer']) {
    await q.dropTable(table, { transaction });
  }
}
