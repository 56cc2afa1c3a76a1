import { DataTypes as T } from 'sequelize';
import type { MigrationContext } from '@fbs/core';
import { id, references, timestamps } from '../../../migration-columns';

const TABLES = [
  'fbs_app_approval_response', 'fbs_app_approval_request', 'fbs_app_custom_field', 'fbs_app_notification',
  'fbs_app_handshake', 'fbs_app_cache_entry', 'fbs_app_business_rule', 'fbs_app_request_log',
  'fbs_app_token_mapping', 'fbs_app_odoo_database',
];

export const name = '0001_initial';

/** fbs_app's tables in fbs_system_db: Odoo connections, tokens, logs, rules, cache, approvals, custom fields. */
export async function up({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  const o = { transaction };
  await q.createTable('fbs_app_odoo_database', {
    id, name: { type: T.STRING(63), allowNull: false, unique: true }, solution_name: { type: T.STRING(63) },
    host: { type: T.STRING, allowNull: false, defaultValue: 'localhost' }, port: { type: T.INTEGER, allowNull: false, defaultValue: 5432 },
    is_active: { type: T.BOOLEAN, allowNull: false, defaultValue: true }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_token_mapping', {
    id, user_id: { type: T.STRING, allowNull: false }, token: { type: T.STRING, allowNull: false, unique: true },
    odoo_database_id: references('fbs_app_odoo_database'), expires_at: { type: T.DATE },
    is_active: { type: T.BOOLEAN, allowNull: false, defaultValue: true }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_request_log', {
    id, method: { type: T.STRING(8), allowNull: false }, path: { type: T.STRING, allowNull: false },
    status_code: { type: T.INTEGER, allowNull: false }, duration_ms: { type: T.INTEGER }, solution_name: { type: T.STRING(63) },
    ...timestamps({ updated: false }),
  }, o);
  await q.addIndex('fbs_app_request_log', ['created_at'], o);
  await q.createTable('fbs_app_business_rule', {
    id, name: { type: T.STRING, allowNull: false, unique: true }, condition: { type: T.JSONB, allowNull: false, defaultValue: {} },
    action: { type: T.JSONB, allowNull: false, defaultValue: {} }, priority: { type: T.INTEGER, allowNull: false, defaultValue: 100 },
    is_active: { type: T.BOOLEAN, allowNull: false, defaultValue: true }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_cache_entry', {
    id, key: { type: T.STRING, allowNull: false, unique: true }, value: { type: T.JSONB }, expires_at: { type: T.DATE }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_handshake', {
    id, client_id: { type: T.STRING, allowNull: false }, status: { type: T.STRING(16), allowNull: false, defaultValue: 'pending' },
    odoo_database_id: references('fbs_app_odoo_database'), ...timestamps(),
  }, o);
  await q.createTable('fbs_app_notification', {
    id, recipient: { type: T.STRING, allowNull: false }, title: { type: T.STRING, allowNull: false },
    message: { type: T.TEXT, allowNull: false, defaultValue: '' }, level: { type: T.STRING(16), allowNull: false, defaultValue: 'info' },
    read_at: { type: T.DATE }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_approval_request', {
    id, title: { type: T.STRING, allowNull: false }, requested_by: { type: T.STRING, allowNull: false }, solution_name: { type: T.STRING(63) },
    status: { type: T.STRING(16), allowNull: false, defaultValue: 'pending' }, payload: { type: T.JSONB, allowNull: false, defaultValue: {} },
    ...timestamps(),
  }, o);
  await q.createTable('fbs_app_approval_response', {
    id, approval_request_id: references('fbs_app_approval_request'), responder: { type: T.STRING, allowNull: false },
    decision: { type: T.STRING(16), allowNull: false }, comment: { type: T.TEXT }, ...timestamps(),
  }, o);
  await q.createTable('fbs_app_custom_field', {
    id, solution_name: { type: T.STRING(63), allowNull: false }, model_name: { type: T.STRING, allowNull: false },
    field_name: { type: T.STRING, allowNull: false }, field_type: { type: T.STRING(16), allowNull: false, defaultValue: 'char' },
    ...timestamps(),
  }, o);
  await q.addIndex('fbs_app_custom_field', ['solution_name', 'model_name', 'field_name'], { ...o, unique: true });
}

export async function down({ queryInterface: q, transaction }: MigrationContext): Promise<void> {
  for (const table of TABLES) await q.dropTable(table, { transaction });
}
