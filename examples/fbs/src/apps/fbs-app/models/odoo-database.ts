// An Odoo database and the tokens and handshakes that reach it: one aggregate, one file (the
// classes refer to each other, and decorator metadata needs each class defined before it is named).
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';

/** An Odoo database FBS connects to (one per solution: `fbs_{solution}_db`). Lives in fbs_system_db. */
@Table({ underscored: true })
export class OdooDatabase extends Model {
  @Column({ type: DataType.STRING(63), allowNull: false, unique: true }) declare name: string;
  @Column({ type: DataType.STRING(63), allowNull: true }) declare solutionName: string | null;
  @Column({ type: DataType.STRING, allowNull: false, defaultValue: 'localhost' }) declare host: string;
  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 5432 }) declare port: number;
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true }) declare isActive: boolean;
  @HasMany(() => TokenMapping) declare tokenMappings?: TokenMapping[];
  @HasMany(() => Handshake) declare handshakes?: Handshake[];
}

/** Maps a user's API token to the Odoo database it may reach. */
@Table({ underscored: true })
export class TokenMapping extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare userId: string;
  @Column({ type: DataType.STRING, allowNull: false, unique: true }) declare token: string;
  @ForeignKey(() => OdooDatabase) @Column({ type: DataType.INTEGER, allowNull: false }) declare odooDatabaseId: number;
  @BelongsTo(() => OdooDatabase) declare odooDatabase?: OdooDatabase;
  @Column({ type: DataType.DATE, allowNull: true }) declare expiresAt: Date | null;
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true }) declare isActive: boolean;
}

/** An authentication handshake between a client and an Odoo database. */
@Table({ underscored: true })
export class Handshake extends Model {
  @Column({ type: DataType.STRING, allowNull: false }) declare clientId: string;
  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'pending' }) declare status: 'pending' | 'completed' | 'failed';
  @ForeignKey(() => OdooDatabase) @Column({ type: DataType.INTEGER, allowNull: false }) declare odooDatabaseId: number;
  @BelongsTo(() => OdooDatabase) declare odooDatabase?: OdooDatabase;
}
