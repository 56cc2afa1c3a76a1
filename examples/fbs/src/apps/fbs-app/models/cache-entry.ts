import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A system cache entry with an optional expiry. */
@Table({ underscored: true })
export class CacheEntry extends Model {
  @Column({ type: DataType.STRING, allowNull: false, unique: true }) declare key: string;
  @Column({ type: DataType.JSONB, allowNull: true }) declare value: unknown;
  @Column({ type: DataType.DATE, allowNull: true }) declare expiresAt: Date | null;
}
