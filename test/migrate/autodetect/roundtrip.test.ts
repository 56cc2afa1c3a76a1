import { readFileSync, rmSync } from 'node:fs';
import { expect } from 'chai';
import { DataType } from 'sequelize-typescript';
import { makeMigrations, Migrator, parseRename, type RenameAnswer } from '@fbs/migrate';
import { createDatabases } from '../../harness/postgres';
import { appProject, dumpSchema, model, resetDatabase, tempMigrations } from './helpers';

// The shop app's models, step by step: each step is one kind of change `make` supports.
interface Shape {
  customerTable: string;
  customer: Record<string, any>;
  order: Record<string, any>;
  orderIndexes: any[];
  statuses: string[];
  extra?: 'coupon' | 'voucher';
}

const base = (): Shape => ({
  customerTable: 'shop_customer',
  customer: {
    id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataType.STRING(80), allowNull: false },
    email: { type: DataType.STRING, unique: true },
  },
  order: {
    id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true },
    title: { type: DataType.STRING },
    total: { type: DataType.INTEGER, defaultValue: 0 },
    paid: { type: DataType.BOOLEAN, allowNull: false, defaultValue: false },
    amount: { type: DataType.DECIMAL(10, 2) },
  },
  orderIndexes: [{ fields: ['title'] }],
  statuses: ['new', 'paid'],
});

type Step = { title: string; change: (s: Shape) => void; renames?: string[]; noRenames?: boolean; kinds: string[] };
const steps: Step[] = [
  { title: 'add a column', change: (s) => (s.order.note = { type: DataType.TEXT }), kinds: ['addColumn'] },
  { title: 'change a type', change: (s) => (s.order.total = { type: DataType.BIGINT, defaultValue: 0 }), kinds: ['alterColumn'] },
  { title: 'change nullability', change: (s) => (s.order.title = { type: DataType.STRING, allowNull: false }), kinds: ['alterColumn'] },
  { title: 'change a default', change: (s) => (s.order.total = { type: DataType.BIGINT, defaultValue: 7 }), kinds: ['alterColumn'] },
  { title: 'add a unique constraint', change: (s) => (s.customer.name = { type: DataType.STRING(80), allowNull: false, unique: true }), kinds: ['alterColumn'] },
  { title: 'drop a unique constraint', change: (s) => (s.customer.email = { type: DataType.STRING }), kinds: ['alterColumn'] },
  { title: 'remove a column', change: (s) => delete s.order.note, kinds: ['removeColumn'] },
  { title: 'add an enum column', change: (s) => (s.order.status = { type: DataType.ENUM(...s.statuses), defaultValue: 'new' }), kinds: ['createEnum', 'addColumn'] },
  { title: 'add an enum value', change: (s) => (s.statuses.push('shipped'), (s.order.status = { type: DataType.ENUM(...s.statuses), defaultValue: 'new' })), kinds: ['alterEnum'] },
  { title: 'add an enum value and make it the default (one transaction)', change: (s) => (s.statuses.push('held'), (s.order.status = { type: DataType.ENUM(...s.statuses), defaultValue: 'held' })), kinds: ['alterEnum', 'alterColumn'] },
  { title: 'remove enum values', change: (s) => (s.statuses.splice(1, 1), s.statuses.pop(), (s.order.status = { type: DataType.ENUM(...s.statuses), defaultValue: 'new' })), kinds: ['alterEnum', 'alterColumn'] },
  { title: 'add a foreign key (association)', change: (s) => (s.order.customerId = { type: DataType.INTEGER, belongsTo: 'customer' }), kinds: ['addColumn'] },
  { title: 'add a foreign key to a column', change: (s) => (s.order.parentId = { type: DataType.INTEGER }), kinds: ['addColumn'] },
  { title: 'make a column a foreign key', change: (s) => (s.order.parentId = { type: DataType.INTEGER, references: { model: 'shop_order', key: 'id' }, onDelete: 'CASCADE' }), kinds: ['alterColumn'] },
  { title: 'drop a foreign key', change: (s) => (s.order.parentId = { type: DataType.INTEGER }), kinds: ['alterColumn'] },
  { title: 'add an index', change: (s) => s.orderIndexes.push({ fields: ['paid', 'total'], unique: true, name: 'shop_order_paid_total' }), kinds: ['addIndex'] },
  { title: 'remove an index', change: (s) => s.orderIndexes.splice(0, 1), kinds: ['removeIndex'] },
  { title: 'rename a column (--rename)', change: (s) => ((s.order.label = s.order.title), delete s.order.title), renames: ['shop_order.title:label'], kinds: ['renameColumn'] },
  { title: 'rename an enum column', change: (s) => ((s.order.state = s.order.status), delete s.order.status), renames: ['shop_order.status:state'], kinds: ['renameColumn'] },
  { title: 'rename a table (--rename)', change: (s) => (s.customerTable = 'shop_client'), renames: ['shop_customer:shop_client'], kinds: ['renameTable'] },
  { title: 'create a table', change: (s) => (s.extra = 'coupon'), kinds: ['createTable'] },
  { title: 'drop a table, create another (--no-rename-detection)', change: (s) => (s.extra = 'voucher'), noRenames: true, kinds: ['createTable', 'dropTable'] },
];

function build(shape: Shape): any[] {
  const classes: Record<string, any> = {};
  const columns = (spec: Record<string, any>) =>
    Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, v.belongsTo ? { ...v, belongsTo: () => classes[v.belongsTo] } : v]));
  classes.customer = model('Customer', shape.customerTable, columns(shape.customer));
  classes.order = model('Order', 'shop_order', columns(shape.order), { indexes: shape.orderIndexes.map((i) => ({ ...i })) });
  const list = [classes.customer, classes.order];
  if (shape.extra) {
    list.push(model(shape.extra === 'coupon' ? 'Coupon' : 'Voucher', `shop_${shape.extra}`, columns({
      id: { type: DataType.UUID, primaryKey: true },
      code: { type: DataType.STRING(20), allowNull: false, unique: true },
      orderId: { type: DataType.INTEGER, belongsTo: 'order', allowNull: false, onDelete: 'CASCADE' },
    })));
  }
  return list;
}

describe('make: round trip against sync() (PostgreSQL)', function () {
  this.timeout(240_000);
  let migrated: string | undefined;
  let synced: string | undefined;
  const folder = tempMigrations();

  before(async () => {
    [migrated, synced] = await createDatabases(2, 'make_rt');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  async function schemaOf(shape: Shape): Promise<Record<string, string[]>> {
    const project = await appProject('shop', build(shape), folder, { default: migrated!, synced: synced! });
    try {
      await resetDatabase(synced!);
      await project.sync({ databases: ['synced'] });
      return await dumpSchema(synced!);
    } finally {
      await project.close();
    }
  }

  async function step(shape: Shape, renames: RenameAnswer[] = [], noRenames = false) {
    const project = await appProject('shop', build(shape), folder, { default: migrated!, synced: synced! });
    try {
      const [result] = await makeMigrations(project, { renames, noRenames });
      const report = await new Migrator(project).up({ databases: ['default'] });
      if (report.failed) throw report.databases[0]!.error;
      return result!;
    } finally {
      await project.close();
    }
  }

  async function revert(shape: Shape) {
    const project = await appProject('shop', build(shape), folder, { default: migrated!, synced: synced! });
    try {
      const report = await new Migrator(project).down({ databases: ['default'] });
      if (report.failed) throw report.databases[0]!.error;
    } finally {
      await project.close();
    }
  }

  it('creates the initial tables as sync() does', async () => {
    const shape = base();
    const result = await step(shape);
    expect(result.name).to.equal('shop/0001_initial');
    expect(result.operations.map((o: { op: string }) => o.op)).to.deep.equal(['createTable', 'createTable']);
    expect(await dumpSchema(migrated!)).to.deep.equal(await schemaOf(shape));
  });

  let shape = base();
  for (const s of steps) {
    it(`${s.title}: up matches sync(), down restores the previous schema`, async () => {
      const before = await schemaOf(shape);
      const next: Shape = structuredClone({ ...shape, customer: {}, order: {} }) as Shape;
      next.customer = { ...shape.customer };
      next.order = { ...shape.order };
      s.change(next);
      const result = await step(next, (s.renames ?? []).map(parseRename), s.noRenames);
      expect([...new Set(result.operations.map((o: { op: string }) => o.op))].sort(), result.changes.join('\n')).to.deep.equal([...s.kinds].sort());
      expect(await dumpSchema(migrated!), readFileSync(result.file!, 'utf8')).to.deep.equal(await schemaOf(next));
      await revert(next);
      expect(await dumpSchema(migrated!), 'after down').to.deep.equal(before);
      // Forward again, so that the next step starts from this one.
      const project = await appProject('shop', build(next), folder, { default: migrated!, synced: synced! });
      try {
        await new Migrator(project).up({ databases: ['default'] });
        const [again] = await makeMigrations(project, { dryRun: true });
        expect(again!.operations, 'nothing left to generate').to.deep.equal([]);
      } finally {
        await project.close();
      }
      shape = next;
    });
  }
});
