import { expect } from 'chai';
import sinon from 'sinon';
import { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } from 'sequelize-typescript';
import { createProject, CrossDatabaseError, defineApp, RelationNotAllowedError } from '@fbs/core';
import { Customer, Order } from '../fixtures/models';
import { PrimaryReplicaRouter } from '../fixtures/routers';
import { setupProject, type TestProject } from './setup';

describe('relations across databases', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'other'])));
  after(() => t.close());

  it('an include resolves to the repository of the same database', async () => {
    const c = await t.project.model(Customer).using('other').create({ name: 'inc' });
    await t.project.model(Order).using('other').create({ total: 5, customerId: c.id });
    const orders = await t.project.model(Order).using('other').findAll({ include: [Customer] });
    expect(orders).to.have.length(1);
    expect(orders[0]!.customer!.name).to.equal('inc');
    expect(t.project.dbOf(orders[0]!.customer)).to.equal('other');
    const nested = await t.project.model(Customer).using('other').findAll({ include: [{ model: Order, include: [Customer] }] });
    expect(t.project.dbOf(nested[0]!.orders![0]!)).to.equal('other');
  });

  it('refuses an include of a model bound to another database, naming both', async () => {
    const otherCustomer = t.project.repository('other', Customer);
    let error: unknown;
    try {
      await t.project.model(Order).using('default').findAll({ include: [otherCustomer] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CrossDatabaseError);
    expect((error as Error).message).to.match(/'default'/).and.match(/'other'/);
  });

  it('a row created through an include can never be written into the other database', async () => {
    const before = await t.rows('other', 'shop_customer');
    const order = await t.project.model(Order).using('default').create(
      { total: 1, customer: { name: 'child' } } as any,
      { include: [t.project.repository('default', Customer)] },
    );
    expect(t.project.dbOf(order.customer)).to.equal('default');
    order.customer!.name = 'child-renamed';
    await order.customer!.save();
    expect((await t.rows('default', 'shop_customer', `id = ${order.customer!.id}`))[0].name).to.equal('child-renamed');
    expect(await t.rows('other', 'shop_customer')).to.deep.equal(before);
    await expect(
      t.project.model(Order).using('default').create({ total: 1, customer: { name: 'x' } } as any, { include: [t.project.repository('other', Customer)] }),
    ).to.be.rejectedWith(CrossDatabaseError);
    expect(await t.rows('other', 'shop_customer')).to.deep.equal(before);
  });

  it('refuses assigning an object from another database (allowRelation), like Django', async () => {
    const customer = await t.project.model(Customer).using('other').create({ name: 'far' });
    const order = await t.project.model(Order).using('default').create({ total: 2 });
    let error: unknown;
    try {
      await order.$set('customer', customer);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RelationNotAllowedError);
    expect((error as Error).message).to.include('the current database router prevents this relation');
    expect((error as Error).message).to.include("'other'").and.include("'default'");
    expect((await t.rows('default', 'shop_order', `id = ${order.id}`))[0].customerId).to.equal(null);
    const sameDb = await t.project.model(Customer).using('default').create({ name: 'near' });
    await order.$set('customer', sameDb);
    expect((await t.rows('default', 'shop_order', `id = ${order.id}`))[0].customerId).to.equal(sameDb.id);
  });

  it('allows the assignment when a router says yes', async () => {
    const p = t.reroute([{ allowRelation: () => true }]);
    // A replica setup: 'other' holds a copy of the row, so relating to it is safe.
    const original = await p.model(Customer).using('default').create({ name: 'allowed' });
    await p.model(Customer).using('other').bulkCreate([{ id: original.id, name: 'allowed' }]);
    const copy = (await p.model(Customer).using('other').findByPk(original.id))!;
    const order = await p.model(Order).using('default').create({ total: 3 });
    await order.$set('customer', copy);
    expect((await t.rows('default', 'shop_order', `id = ${order.id}`))[0].customerId).to.equal(original.id);
    expect(p.dbOf(copy), 'the other object stays bound to its database').to.equal('other');
  });

  it('allows relating two unsaved objects', () => {
    const a = t.project.model(Order).using('default').build({ total: 1 });
    const b = t.project.model(Customer).using('other').build({ name: 'u' });
    expect(t.project.router.allowRelation(a, b, {})).to.equal(true);
  });

  describe('system checks (project.check)', () => {
    @Table({ timestamps: false })
    class Licence extends Model {
      @Column(DataType.STRING) declare code: string;
      @HasMany(() => Seat) declare seats?: Seat[];
    }
    @Table({ timestamps: false })
    class Seat extends Model {
      @ForeignKey(() => Licence) @Column(DataType.INTEGER) declare licenceId: number;
      @BelongsTo(() => Licence) declare licence?: Licence;
    }
    const lic = defineApp({ label: 'lic', models: [Licence] });
    const seats = defineApp({ label: 'seats', models: [Seat] });
    const databases = { default: 'postgres://127.0.0.1/unused_a', licensing: 'postgres://127.0.0.1/unused_b' };
    const licRouter = { dbForWrite: (m: { appLabel: string }) => (m.appLabel === 'lic' ? 'licensing' : null) };

    it('createProject calls no router; check() reports an association across databases, naming both', async () => {
      const asked = sinon.spy(licRouter, 'dbForWrite');
      const project = createProject({ databases, routers: [licRouter], apps: [lic, seats] });
      expect(asked.called, 'createProject is side-effect free').to.equal(false);
      const problems = project.check().filter((p) => p.code === 'fbs.E001');
      asked.restore();
      expect(problems).to.have.length(2);
      expect(problems[0]!.message).to.match(/lic\.Licence\.seats → seats\.Seat.*'licensing'.*'default'/);
      expect(problems[0]!.objects).to.include.members(['licensing', 'default']);
      expect(problems[0]!.hint).to.match(/allowRelation/);
      await project.close();
    });

    it('a router naming an alias added later does not break createProject', async () => {
      const later = { dbForWrite: (m: { appLabel: string }) => (m.appLabel === 'lic' ? 'added_later' : null) };
      const project = createProject({ databases, routers: [later], apps: [lic, seats] });
      expect(project.check().map((p) => p.code)).to.include('fbs.E002');
      project.addDatabase('added_later', databases.licensing);
      expect(project.model(Licence).dbForWrite()).to.equal('added_later');
      await project.close();
    });

    it('check() is clean when allowRelation says yes, or when both land on one database', async () => {
      const allowed = createProject({ databases, routers: [licRouter, { allowRelation: () => true }], apps: [lic, seats] });
      const same = createProject({ databases, apps: [lic, seats] });
      expect(allowed.check()).to.deep.equal([]);
      expect(same.check()).to.deep.equal([]);
      await allowed.close();
      await same.close();
    });

    it('the primary/replica router (allowRelation: true) accepts the fixtures', async () => {
      const p = createProject({ databases: { default: databases.default, primary: databases.default, replica: databases.licensing }, routers: [new PrimaryReplicaRouter()], apps: [lic, seats] });
      await p.close();
    });
  });
});
