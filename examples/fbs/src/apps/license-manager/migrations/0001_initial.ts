import { DataTypes as T } from 'sequelize';
import type { MigrationContext } from '@fbs/core';
import { id, references, timestamps } from '../../../migration-columns';

export const name = '0001_initial';

/** fbs_license_manager's tables in lic_system_db: licenses and metered feature usage. */
export async function up({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  await q.createTable('fbs_license_manager_solution_license', {
    id, solution_name: { type: T.STRING(63), allowNull: false, unique: true },
    tier: { type: T.STRING(16), allowNull: false, defaultValue: 'trial' }, status: { type: T.STRING(16), allowNull: false, defaultValue: 'active' },
    extra_features: { type: T.JSONB, allowNull: false, defaultValue: [] }, limit_overrides: { type: T.JSONB, allowNull: false, defaultValue: {} },
    expires_at: { type: T.DATE }, ...timestamps(),
  }, { transaction });
  await q.createTable('fbs_license_manager_feature_usage', {
    id, solution_license_id: references('fbs_license_manager_solution_license'), feature: { type: T.STRING(63), allowNull: false },
    period: { type: T.STRING(7), allowNull: false }, used: { type: T.INTEGER, allowNull: false, defaultValue: 0 }, ...timestamps(),
  }, { transaction });
  await q.addIndex('fbs_license_manager_feature_usage', ['solution_license_id', 'feature', 'period'], { transaction, unique: true });
}

export async function down({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  await q.dropTable('fbs_license_manager_feature_usage', { transaction });
  await q.dropTable('fbs_license_manager_solution_license', { transaction });
}
