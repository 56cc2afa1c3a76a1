// A license and its feature usage (one aggregate: the classes refer to each other).
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';

/** A solution's license: its tier, its status and any features or limits granted beyond the tier. */
@Table({ underscored: true })
export class SolutionLicense extends Model {
  @Column({ type: DataType.STRING(63), allowNull: false, unique: true }) declare solutionName: string;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'trial' }) declare tier: string;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'active' }) declare status: 'active' | 'suspended' | 'expired';
  /** Feature flags granted on top of the tier's. */
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: [] }) declare extraFeatures: string[];
  /** Per-feature monthly limits overriding the tier's (`null` = unlimited). */
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare limitOverrides: Record<string, number | null>;
  @Column({ type: DataType.DATE, allowNull: true }) declare expiresAt: Date | null;
  @HasMany(() => FeatureUsage) declare usages?: FeatureUsage[];
}

/** How much of a metered feature a solution used in one period (a calendar month, `YYYY-MM`). */
@Table({ underscored: true, indexes: [{ unique: true, fields: ['solution_license_id', 'feature', 'period'] }] })
export class FeatureUsage extends Model {
  @ForeignKey(() => SolutionLicense) @Column({ type: DataType.INTEGER, allowNull: false }) declare solutionLicenseId: number;
  @BelongsTo(() => SolutionLicense) declare license?: SolutionLicense;
  @Column({ type: DataType.STRING(63), allowNull: false }) declare feature: string;
  @Column({ type: DataType.STRING(7), allowNull: false }) declare period: string;
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 }) declare used: number;
}
