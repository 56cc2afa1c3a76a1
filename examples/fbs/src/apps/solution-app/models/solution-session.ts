import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A user session of the solution's web application. */
@Table({ underscored: true })
export class SolutionSession extends Model {
  @Column({ type: DataType.STRING(64), allowNull: false, unique: true }) declare sessionKey: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare userId: string;
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare data: Record<string, unknown>;
  @Column({ type: DataType.DATE, allowNull: false }) declare expiresAt: Date;
}
