import { DataTypes as T } from 'sequelize';
import type { MigrationContext } from '@fbs/core';
import { id, timestamps } from '../../../migration-columns';

export const name = '0001_initial';

/** solution_app's tables in each djo_{solution}_db: preferences, settings, sessions, solution rules. */
export async function up({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  await q.createTable('solution_app_user_preference', {
    id, user_id: { type: T.STRING, allowNull: false }, key: { type: T.STRING, allowNull: false }, value: { type: T.JSONB }, ...timestamps(),
  }, { transaction });
  await q.addIndex('solution_app_user_preference', ['user_id', 'key'], { transaction, unique: true });
  await q.createTable('solution_app_solution_setting', {
    id, key: { type: T.STRING, allowNull: false, unique: true }, value: { type: T.JSONB }, ...timestamps(),
  }, { transaction });
  await q.createTable('solution_app_solution_session', {
    id, session_key: { type: T.STRING(64), allowNull: false, unique: true }, user_id: { type: T.STRING, allowNull: false },
    data: { type: T.JSONB, allowNull: false, defaultValue: {} }, expires_at: { type: T.DATE, allowNull: false }, ...timestamps(),
  }, { transaction });
  await q.createTable('solution_app_solution_business_rule', {
    id, name: { type: T.STRING, allowNull: false, unique: true }, condition: { type: T.JSONB, allowNull: false, defaultValue: {} },
    action: { type: T.JSONB, allowNull: false, defaultValue: {} }, is_active: { type: T.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps(),
  }, { transaction });
}

export async function down({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  for (const table of ['solution_app_solution_business_rule', 'solution_app_solution_session', 'solution_app_solution_setting', 'solution_app_user_preference']) {
    await q.dropTable(table, { transaction });
  }
}
