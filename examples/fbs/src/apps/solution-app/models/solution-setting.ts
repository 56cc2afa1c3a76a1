import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A solution-wide configuration value. */
@Table({ underscored: true })
export class SolutionSetting extends Model {
  @Column({ type: DataType.STRING, allowNull: false, unique: true }) declare key: string;
  @Column({ type: DataType.JSONB, allowNull: true }) declare value: unknown;
}
