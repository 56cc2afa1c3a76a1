// The ERP side of a solution: customers, products, orders and order lines (one aggregate: the
// classes refer to each other, and decorator metadata needs each class defined before it is named).
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';

/** A customer of the solution's business (ERP side). */
@Table({ underscored: true })
export class Customer extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare name: string;
  @Column({ type: DataType.STRING, allowNull: true }) declare email: string | null;
  @HasMany(() => Order) declare orders?: Order[];
}

/** A product the solution sells. Prices are exact decimals (returned as strings by PostgreSQL). */
@Table({ underscored: true })
export class Product extends Model {
  @Column({ type: DataType.STRING(32), allowNull: false, unique: true }) declare sku: string;
  @Column({ type: DataType.STRING, allowNull: false }) declare name: string;
  @Column({ type: DataType.DECIMAL(12, 2), allowNull: false }) declare price: string;
  @HasMany(() => OrderLine) declare lines?: OrderLine[];
}

/** A sales order of a customer; its lines and customer live in the same fbs_{solution}_db. */
@Table({ underscored: true })
export class Order extends Model {
  @Column({ type: DataType.STRING(32), allowNull: false, unique: true }) declare number: string;
  @ForeignKey(() => Customer) @Column({ type: DataType.INTEGER, allowNull: true }) declare customerId: number | null;
  @BelongsTo(() => Customer) declare customer?: Customer;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'draft' }) declare status: 'draft' | 'confirmed' | 'done';
  @Column({ type: DataType.DECIMAL(12, 2), allowNull: false, defaultValue: 0 }) declare total: string;
  @HasMany(() => OrderLine) declare lines?: OrderLine[];
}

/** One line of an order: a product, a quantity and the unit price at the time of the order. */
@Table({ underscored: true })
export class OrderLine extends Model {
  @ForeignKey(() => Order) @Column({ type: DataType.INTEGER, allowNull: false }) declare orderId: number;
  @BelongsTo(() => Order) declare order?: Order;
  @ForeignKey(() => Product) @Column({ type: DataType.INTEGER, allowNull: false }) declare productId: number;
  @BelongsTo(() => Product) declare product?: Product;
  @Column({ type: DataType.INTEGER, allowNull: false }) declare quantity: number;
  @Column({ type: DataType.DECIMAL(12, 2), allowNull: false }) declare unitPrice: string;
}
