import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A system notification to a user or an operator. */
@Table({ underscored: true })
export class Notification extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare recipient: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare title: string;
  @Column({ type: DataType.TEXT, allowNull: false, defaultValue: '' }) declare message: string;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'info' }) declare level: 'info' | 'warning' | 'error';
  @Column({ type: DataType.DATE, allowNull: true }) declare readAt: Date | null;
}
