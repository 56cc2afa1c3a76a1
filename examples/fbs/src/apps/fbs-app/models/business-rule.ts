import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A system-wide business rule (solution-specific rules live in djo_{solution}_db). */
@Table({ underscored: true })
export class BusinessRule extends Model {
  @Column({ type: DataType.STRING, allowNull: false, unique: true }) declare name: string;
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare condition: Record<string, unknown>;
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare action: Record<string, unknown>;
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 100 }) declare priority: number;
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true }) declare isActive: boolean;
}
