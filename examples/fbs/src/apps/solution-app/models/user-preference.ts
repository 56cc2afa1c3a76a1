import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** One user's preference inside a solution (theme, language, …). */
@Table({ underscored: true, indexes: [{ unique: true, fields: ['user_id', 'key'] }] })
export class UserPreference extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare userId: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare key: string;
  @Column({ type: DataType.JSONB, allowNull: true }) declare value: unknown;
}
