import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

/** Column definitions shared by the example's migrations: the `id` key and the timestamps Sequelize writes. */
export const id: ModelAttributeColumnOptions = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };

/** `created_at` and `updated_at` (the models use `underscored: true`). */
export function timestamps(options: { updated?: boolean } = {}): Record<string, ModelAttributeColumnOptions> {
  const now = { type: DataTypes.DATE, allowNull: false };
  return options.updated === false ? { created_at: now } : { created_at: now, updated_at: now };
}

/** A foreign key to `table.id` inside the same database (cross-database keys are refused by the SDK). */
export function references(table: string, options: { allowNull?: boolean } = {}): ModelAttributeColumnOptions {
  return {
    type: DataTypes.INTEGER,
    allowNull: options.allowNull ?? false,
    references: { model: table, key: 'id' },
    onDelete: 'CASCADE',
    onUpdate: 'CASCADE',
  };
}
