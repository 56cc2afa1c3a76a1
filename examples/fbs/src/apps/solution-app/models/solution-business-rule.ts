import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A business rule that applies to one solution only (system-wide rules are fbs_app's BusinessRule). */
@Table({ underscored: true })
export class SolutionBusinessRule extends Model {
  @Column({ type: DataType.STRING, allowNull: false, unique: true }) declare name: string;
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare condition: Record<string, unknown>;
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare action: Record<string, unknown>;
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true }) declare isActive: boolean;
}
