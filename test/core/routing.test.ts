import { expect } from 'chai';
import { ModelNotOnDatabaseError } from '@fbs/core';
import { Customer, Invoice, Order } from '../fixtures/models';
import { BillingRouter, OtherRouter, PrimaryReplicaRouter, WriteRouter } from '../fixtures/routers';
import { setupProject, type TestProject } from './setup';

describe('routed access', () => {
  describe('without routers', () => {
    let t: TestProject;
    before(async () => (t = await setupProject(['default', 'other'])));
    after(() => t.close());

    it('sends reads and writes to default', async () => {
      const c = await t.project.model(Customer).create({ name: 'ada' });
      expect(t.project.dbOf(c)).to.equal('default');
      expect(await t.rows('default', 'shop_customer')).to.have.length(1);
      expect(await t.rows('other', 'shop_customer')).to.have.length(0);
      expect(await t.project.model(Customer).count()).to.equal(1);
    });

    it('using(alias) reads and writes only there', async () => {
      const other = t.project.model(Customer).using('other');
      const c = await other.create({ name: 'bob' });
      expect(t.project.dbOf(c)).to.equal('other');
      await other.update({ name: 'bobby' }, { where: { id: c.id } });
      expect((await t.rows('other', 'shop_customer')).map((r) => r.name)).to.deep.equal(['bobby']);
      expect((await t.rows('default', 'shop_customer')).map((r) => r.name)).to.not.include('bobby');
      expect(await other.count()).to.equal(1);
      const loaded = await other.findByPk(c.id);
      expect(t.project.dbOf(loaded)).to.equal('other');
    });
  });

  describe('a router sending reads to one database and writes to another', () => {
    let t: TestProject;
    before(async () => {
      t = await setupProject(['default', 'primary', 'replica'], [new PrimaryReplicaRouter()]);
      // The replica holds a different row so each read shows where it went.
      await t.project.model(Customer).using('replica').bulkCreate([{ name: 'on-replica' }]);
    });
    after(() => t.close());

    it('create, update, destroy and findOrCreate go to the write database; reads and count to the read database', async () => {
      const m = t.project.model(Customer);
      const created = await m.create({ name: 'w1' });
      expect(t.project.dbOf(created)).to.equal('primary');
      expect((await t.rows('primary', 'shop_customer')).map((r) => r.name)).to.deep.equal(['w1']);

      expect((await m.findAll()).map((c) => c.name)).to.deep.equal(['on-replica']);
      expect(await m.count()).to.equal(1);
      const read = await m.findOne({ where: { name: 'on-replica' } });
      expect(t.project.dbOf(read)).to.equal('replica');

      const [found, wasCreated] = await m.findOrCreate({ where: { name: 'w1' } });
      expect(wasCreated, 'findOrCreate reads the write database').to.equal(false);
      expect(t.project.dbOf(found)).to.equal('primary');

      await m.update({ name: 'w1-updated' }, { where: { name: 'w1' } });
      expect((await t.rows('primary', 'shop_customer')).map((r) => r.name)).to.deep.equal(['w1-updated']);
      expect((await t.rows('replica', 'shop_customer')).map((r) => r.name)).to.deep.equal(['on-replica']);

      expect(await m.destroy({ where: { name: 'w1-updated' } })).to.equal(1);
      expect(await t.rows('primary', 'shop_customer')).to.have.length(0);
      expect(await t.rows('replica', 'shop_customer')).to.have.length(1);
    });

    it('upsert, increment and bulkCreate go to the write database', async () => {
      const m = t.project.model(Invoice);
      await m.bulkCreate([{ number: 'A', amount: 1 }, { number: 'B', amount: 2 }]);
      await m.increment('amount', { by: 10, where: { number: 'A' } });
      await m.upsert({ id: 99, number: 'U', amount: 0 });
      expect(await t.rows('primary', 'billing_invoice', 'id = 99')).to.have.length(1);
      const [row] = await t.rows('primary', 'billing_invoice', `number = 'A'`);
      expect(row.amount).to.equal(11);
      expect(await t.rows('replica', 'billing_invoice')).to.have.length(0);
      expect(await m.sum('amount')).to.equal(null);
      expect(await m.using('primary').sum('amount')).to.equal(13);
    });
  });

  describe('chains', () => {
    let t: TestProject;
    before(async () => (t = await setupProject(['default', 'primary', 'other', 'billing'])));
    after(() => t.close());

    it('a partial router that only answers writes chains with the others', async () => {
      // Billing's reads only (its allowMigrate would keep billing tables off 'primary').
      const billingReads = { dbForRead: (m: { appLabel: string }) => (m.appLabel === 'billing' ? 'billing' : null) };
      const p = t.reroute([new WriteRouter(), billingReads]);
      // WriteRouter answers writes for everyone: the billing router never sees writes.
      expect(p.model(Invoice).dbForWrite()).to.equal('primary');
      // It has no opinion on reads: the billing router decides, then the default.
      expect(p.model(Invoice).dbForRead()).to.equal('billing');
      expect(p.model(Customer).dbForRead()).to.equal('default');
      const inv = await p.model(Invoice).create({ number: 'P1' });
      expect(p.dbOf(inv)).to.equal('primary');
      expect(await t.rows('primary', 'billing_invoice', `number = 'P1'`)).to.have.length(1);
    });

    it('the same two routers in both orders give the first answer', () => {
      const ab = t.reroute([new BillingRouter(), new OtherRouter()]);
      const ba = t.reroute([new OtherRouter(), new BillingRouter()]);
      expect([ab.model(Invoice).dbForRead(), ab.model(Invoice).dbForWrite()]).to.deep.equal(['billing', 'billing']);
      expect([ab.model(Customer).dbForRead(), ab.model(Customer).dbForWrite()]).to.deep.equal(['other', 'other']);
      expect([ba.model(Invoice).dbForRead(), ba.model(Invoice).dbForWrite()]).to.deep.equal(['other', 'other']);
      expect(ab.router.allowMigrate('default', 'billing')).to.equal(false);
      expect(ab.router.allowMigrate('billing', 'billing')).to.equal(true);
      expect(ab.router.allowMigrate('default', 'shop'), 'no opinion → allowed').to.equal(true);
    });

    it('scopes keep routing', async () => {
      const p = t.reroute([new BillingRouter()]);
      await p.model(Invoice).bulkCreate([{ number: 'S1', amount: 5 }, { number: 'S2', amount: 500 }]);
      const large = await p.model(Invoice).scope('large').findAll();
      expect(large.map((i) => i.number)).to.deep.equal(['S2']);
      expect(p.dbOf(large[0])).to.equal('billing');
      await expect(p.model(Invoice).scope('large').using('default').count()).to.be.rejectedWith(
        ModelNotOnDatabaseError,
        /billing\.Invoice is not registered on database 'default': allowMigrate\('default', 'billing'\) is false/,
      );
      expect(await p.model(Invoice).unscoped().count()).to.equal(await p.model(Invoice).count());
    });

    it('plain objects work as routers', async () => {
      const p = t.reroute([{ dbForWrite: (m) => (m.appLabel === 'shop' ? 'other' : null) }]);
      const c = await p.model(Customer).create({ name: 'plain' });
      expect(p.dbOf(c)).to.equal('other');
      expect(p.model(Order).dbForRead()).to.equal('default');
    });
  });

  describe('instances know their database', () => {
    let t: TestProject;
    before(async () => (t = await setupProject(['default', 'other'])));
    after(() => t.close());

    it('an instance loaded from one database is saved back there when routers have no opinion', async () => {
      const c = await t.project.model(Customer).using('other').create({ name: 'x' });
      const loaded = (await t.project.model(Customer).using('other').findByPk(c.id))!;
      loaded.name = 'x2';
      await loaded.save();
      expect(t.project.dbOf(loaded)).to.equal('other');
      expect((await t.rows('other', 'shop_customer', `id = ${c.id}`))[0].name).to.equal('x2');
      expect(await t.rows('default', 'shop_customer', `name = 'x2'`)).to.have.length(0);
      await loaded.reload();
      await loaded.destroy();
      expect(await t.rows('other', 'shop_customer', `id = ${c.id}`)).to.have.length(0);
    });

    it('an instance is moved where a router sends writes (update there, else insert)', async () => {
      const c = await t.project.model(Customer).using('default').create({ name: 'mover' });
      const p = t.reroute([{ dbForWrite: () => 'other' }]);
      const loaded = (await p.model(Customer).using('default').findByPk(c.id))!;
      expect(p.dbOf(loaded)).to.equal('default');
      loaded.name = 'moved';
      await loaded.save();
      expect(p.dbOf(loaded)).to.equal('other');
      expect((await t.rows('other', 'shop_customer', `id = ${c.id}`))[0].name).to.equal('moved');
      expect((await t.rows('default', 'shop_customer', `id = ${c.id}`))[0].name, 'the source row is untouched').to.equal('mover');
      loaded.name = 'moved-again';
      await loaded.save();
      expect(await t.rows('other', 'shop_customer', `id = ${c.id}`)).to.have.length(1);
    });

    it('instance.update and increment ask the router with the instance as hint', async () => {
      const seen: unknown[] = [];
      const p = t.reroute([{ dbForWrite: (_m, hints) => (seen.push(hints.instance), null) }]);
      const inv = await p.model(Invoice).using('other').create({ number: 'I1', amount: 1 });
      seen.length = 0;
      await inv.update({ amount: 5 });
      await inv.increment('amount', { by: 2 });
      expect(seen).to.have.length(2);
      expect(seen.every((s) => s === inv)).to.equal(true);
      expect((await t.rows('other', 'billing_invoice', `number = 'I1'`))[0].amount).to.equal(7);
    });
  });
});
