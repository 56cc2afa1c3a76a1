import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A custom field a solution added to one of its models. */
@Table({ underscored: true, indexes: [{ unique: true, fields: ['solution_name', 'model_name', 'field_name'] }] })
export class CustomField extends Model {
  @Column({ type: DataType.STRING(63), allowNull: false }) declare solutionName: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare modelName: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare fieldName: string;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'char' }) declare fieldType: string;
}
