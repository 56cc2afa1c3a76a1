import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** One API request FBS served: the system's audit trail. */
@Table({ underscored: true, updatedAt: false })
export class RequestLog extends Model {
  @Column({ type: DataType.STRING(8), allowNull: false }) declare method: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare path: string;
  @Column({ type: DataType.INTEGER, allowNull: false }) declare statusCode: number;
  @Column({ type: DataType.INTEGER, allowNull: true }) declare durationMs: number | null;
  @Column({ type: DataType.STRING(63), allowNull: true }) declare solutionName: string | null;
}
