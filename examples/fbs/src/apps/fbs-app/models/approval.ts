// An approval request and its responses (one aggregate: the classes refer to each other).
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';

/** A request that needs someone's approval (e.g. a license upgrade). */
@Table({ underscored: true })
export class ApprovalRequest extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare title: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare requestedBy: string;
  @Column({ type: DataType.STRING(63), allowNull: true }) declare solutionName: string | null;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'pending' }) declare status: 'pending' | 'approved' | 'rejected';
  @Column({ type: DataType.JSONB, allowNull: false, defaultValue: {} }) declare payload: Record<string, unknown>;
  @HasMany(() => ApprovalResponse) declare responses?: ApprovalResponse[];
}

/** One approver's answer to an approval request. */
@Table({ underscored: true })
export class ApprovalResponse extends Model {
  @ForeignKey(() => ApprovalRequest) @Column({ type: DataType.INTEGER, allowNull: false }) declare approvalRequestId: number;
  @BelongsTo(() => ApprovalRequest) declare approvalRequest?: ApprovalRequest;
  @Column({ type: DataType.STRING, allowNull: false }) declare responder: string;
  @Column({ type: DataType.STRING(16), allowNull: false }) declare decision: 'approved' | 'rejected';
  @Column({ type: DataType.TEXT, allowNull: true }) declare comment: string | null;
}
