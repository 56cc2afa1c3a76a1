import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A shop customer (app `shop`, database `default`). */
@Table({ tableName: 'shop_customer', underscored: true })
export class Customer extends Model {
  @Column({ type: DataType.STRING(80), allowNull: false }) declare name: string;
}

/** An invoice (app `billing`, database `billing`). */
@Table({ tableName: 'billing_invoice', underscored: true })
export class Invoice extends Model {
  @Column({ type: DataType.STRING(80), allowNull: false }) declare customerName: string;
  @Column({ type: DataType.INTEGER, allowNull: false }) declare cents: number;
}
