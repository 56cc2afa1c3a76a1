import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { createProject, CrossDatabaseError, type DatabaseRouter } from '@fbs/core';
import { allApps, Customer, Invoice, Order } from '../fixtures/models';
import { BillingRouter } from '../fixtures/routers';
import { setupProject, type TestProject } from './setup';

describe('core seam: the defects of the first wave', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'billing'], [new BillingRouter()])));
  after(() => t.close());

  describe('raw paths refuse a transaction of another database', () => {
    it('project.repository(b, M).create(v, { transaction: tA }) is refused and writes nowhere', async () => {
      await t.project.transaction('default', async (tA) => {
        await expect(t.project.repository('billing', Invoice).create({ number: 'RAW-X' }, { transaction: tA })).to.be.rejectedWith(
          CrossDatabaseError,
          /database 'billing' but was given a transaction of database 'default'/,
        );
      });
      expect(await t.rows('default', 'billing_invoice', `number = 'RAW-X'`)).to.have.length(0);
      expect(await t.rows('billing', 'billing_invoice', `number = 'RAW-X'`)).to.have.length(0);
    });

    it('project.connection(b).query(sql, { transaction: tA }) is refused before any SQL', async () => {
      await t.project.transaction('default', async (tA) => {
        await expect(
          t.project.connection('billing').query(`INSERT INTO billing_invoice (number, amount) VALUES ('RAW-Q', 1)`, { transaction: tA }),
        ).to.be.rejectedWith(CrossDatabaseError);
        await expect(t.project.connection('billing').transaction({ transaction: tA } as any)).to.be.rejectedWith(CrossDatabaseError);
      });
      expect(await t.rows('default', 'billing_invoice', `number = 'RAW-Q'`)).to.have.length(0);
      expect(await t.rows('billing', 'billing_invoice', `number = 'RAW-Q'`)).to.have.length(0);
    });
  });

  describe('work left running after a transaction ends runs outside it', () => {
    for (const [name, schedule] of [
      ['setTimeout', (fn: () => void) => setTimeout(fn, 5)],
      ['setImmediate', (fn: () => void) => setImmediate(fn)],
      ['queueMicrotask', (fn: () => void) => queueMicrotask(fn)],
      ['an event listener', (fn: () => void) => { const e = new EventEmitter(); e.on('go', fn); setTimeout(() => e.emit('go'), 5); }],
    ] as const) {
      it(`a write started from ${name} inside fn commits on its own after fn's commit`, async () => {
        const label = `late-${name.replace(/\W/g, '')}`;
        let late: Promise<unknown> | undefined;
        const started = new Promise<void>((resolve) => {
          void t.project.transaction('default', async () => {
            schedule(() => {
              late = new Promise((r) => setTimeout(r, 20)).then(() => t.project.model(Customer).create({ name: label }));
              resolve();
            });
            await t.project.model(Customer).create({ name: `${label}-inside` });
          });
        });
        await started;
        await late;
        expect(await t.rows('default', 'shop_customer', `name = '${label}'`)).to.have.length(1);
        expect(await t.rows('default', 'shop_customer', `name = '${label}-inside'`)).to.have.length(1);
      });
    }
  });

  describe('unsaved instances have no database', () => {
    it('build() asks no router, dbOf is undefined, and the first save goes where dbForWrite says at save time', async () => {
      const router: DatabaseRouter = { dbForWrite: (_m, hints) => (typeof hints.shard === 'string' ? hints.shard : null) };
      const spy = sinon.spy(router, 'dbForWrite');
      const p = t.reroute([router]);
      const built = p.withHints({ shard: 'default' }, () => p.model(Customer).build({ name: 'built-late' }));
      expect(spy.called, 'build() calls no router').to.equal(false);
      expect(p.dbOf(built)).to.equal(undefined);
      await p.withHints({ shard: 'billing' }, () => built.save());
      expect(p.dbOf(built)).to.equal('billing');
      expect(spy.firstCall.args[1].instance).to.equal(built);
      expect(await t.rows('billing', 'shop_customer', `name = 'built-late'`)).to.have.length(1);
      expect(await t.rows('default', 'shop_customer', `name = 'built-late'`)).to.have.length(0);
      built.name = 'built-late-2';
      await p.withHints({ shard: 'billing' }, () => built.save());
      expect(await t.rows('billing', 'shop_customer', `name = 'built-late-2'`)).to.have.length(1);
      expect(built.changed()).to.equal(false);
    });

    it('without an answer the first save falls back to default', async () => {
      const built = t.project.model(Customer).build({ name: 'to-default' });
      expect(t.project.dbOf(built)).to.equal(undefined);
      await built.save();
      expect(t.project.dbOf(built)).to.equal('default');
      expect(await t.rows('default', 'shop_customer', `name = 'to-default'`)).to.have.length(1);
    });
  });

  describe('moves write the whole row with its key', () => {
    for (const how of ['save', 'update'] as const) {
      it(`${how}() of an instance loaded from default onto billing keeps the key and every column`, async () => {
        const original = await t.project.model(Order).create({ total: 41, customerId: null });
        const loaded = (await t.project.model(Order).findByPk(original.id))!;
        const p = t.reroute([{ dbForWrite: () => 'billing' }]);
        void p;
        if (how === 'save') {
          loaded.total = 42;
          await loaded.save({ using: 'billing' });
        } else {
          await loaded.update({ total: 42 }, { using: 'billing' } as any);
        }
        expect(t.project.dbOf(loaded)).to.equal('billing');
        const rows = await t.rows('billing', 'shop_order', `id = ${original.id}`);
        expect(rows).to.deep.equal([{ id: original.id, total: 42, customerId: null }]);
        expect((await t.rows('default', 'shop_order', `id = ${original.id}`))[0].total).to.equal(41);
      });
    }
  });

  it("allowRelation gets Django's order (related, instance)", async () => {
    const seen: unknown[][] = [];
    const p = t.reroute([{ allowRelation: (a, b) => (seen.push([a, b]), true) }]);
    const customer = await p.model(Customer).create({ name: 'rel' });
    const order = await p.model(Order).create({ total: 1 });
    await order.$set('customer', customer);
    expect(seen[0]).to.deep.equal([customer, order]);
  });

  it('project.allowMigrate merges the ambient hints', () => {
    const router: DatabaseRouter = { allowMigrate: (_db, _app, hints) => hints.tenant === 'yes' };
    const p = createProject({ databases: { default: 'postgres://127.0.0.1/unused' }, routers: [router], apps: allApps });
    expect(p.allowMigrate('default', 'shop')).to.equal(false);
    expect(p.withHints({ tenant: 'yes' }, () => p.allowMigrate('default', 'shop'))).to.equal(true);
    expect(p.withHints({ tenant: 'yes' }, () => p.allowMigrate('default', 'shop', { tenant: 'no' }))).to.equal(false);
  });
});

describe('core seam: cold aliases', () => {
  it('a second alias on a server reuses its version and built-in type map; an alias with an enum loads its own', async () => {
    const { Column, DataType, Model, Table } = await import('sequelize-typescript');
    const { defineApp } = await import('@fbs/core');
    const { createDatabases, testServer } = await import('../harness/postgres');
    @Table({ timestamps: false, tableName: 'cold_plain' })
    class Plain extends Model {
      @Column(DataType.DECIMAL(10, 2)) declare price: string;
      @Column(DataType.ARRAY(DataType.INTEGER)) declare sizes: number[];
    }
    @Table({ timestamps: false, tableName: 'cold_enum' })
    class Colored extends Model {
      @Column(DataType.ARRAY(DataType.ENUM('red', 'blue'))) declare colors: string[];
    }
    const plainApp = defineApp({ label: 'plain', models: [Plain] });
    const enumApp = defineApp({ label: 'colors', models: [Colored] });
    const server = await testServer();
    const [a, b, c] = await createDatabases(3, 'cold');
    const router: DatabaseRouter = { allowMigrate: (db, app) => (app === 'colors' ? db === 'c' : db !== 'c') };
    const project = createProject({ databases: { a: server.url(a!), b: server.url(b!), c: server.url(c!) }, routers: [router], apps: [plainApp, enumApp] });
    try {
      await project.sync();
      await project.using('a', Plain).create({ price: '1.50', sizes: [1, 2] });
      await project.connections.closeOne('b');
      await project.connections.closeOne('c');
      const probe = sinon.spy((project.connection('b') as any).connectionManager, '_refreshDynamicOIDs');
      const own = sinon.spy((project.connection('c') as any).connectionManager, '_refreshDynamicOIDs');
      await project.using('b', Plain).create({ price: '2.25', sizes: [3] });
      const [row] = await project.using('b', Plain).findAll();
      expect(probe.called, 'b reused the type map learnt on a').to.equal(false);
      expect([row!.price, row!.sizes]).to.deep.equal(['2.25', [3]]);
      const colored = await project.using('c', Colored).create({ colors: ['red', 'blue'] });
      await colored.reload();
      expect(colored.colors, 'an enum array still parses: c loaded its own type map').to.deep.equal(['red', 'blue']);
      expect(own.called).to.equal(true);
    } finally {
      await project.close();
    }
  });
});

describe('core seam: building solution data', () => {
  it('build() of a model only run-time databases hold works inside withSolution, stays unbound, and saves there', async () => {
    const { Column, DataType, Model, Table } = await import('sequelize-typescript');
    const { defineApp, HintRouter } = await import('@fbs/core');
    const { createDatabases, queryDatabase, testServer } = await import('../harness/postgres');
    @Table({ timestamps: false, tableName: 'pref' })
    class Pref extends Model {
      @Column(DataType.STRING) declare key: string;
    }
    const server = await testServer();
    const [system, tenant] = await createDatabases(2, 'buildsol');
    const router: DatabaseRouter = { allowMigrate: (db, app) => (app === 'prefs' ? db.startsWith('djo_') : db === 'default') };
    const project = createProject({ databases: { default: server.url(system!) }, routers: [new HintRouter({ apps: ['prefs'], required: true }), router], apps: [defineApp({ label: 'prefs', models: [Pref] })] });
    project.connections.addResolver((alias) => (alias === 'djo_acme_db' ? server.url(tenant!) : undefined));
    project.addSolutionHints((solution) => ({ database: `djo_${solution}_db` })); // a solution package's naming (core has none)
    try {
      await project.withSolution('acme', () => project.sync({ databases: ['djo_acme_db'] }));
      const draft = project.withSolution('acme', () => project.model(Pref).build({ key: 'theme' }));
      expect(project.dbOf(draft)).to.equal(undefined);
      await project.withSolution('acme', () => draft.save());
      expect(project.dbOf(draft)).to.equal('djo_acme_db');
      expect(await queryDatabase(tenant!, 'SELECT key FROM pref')).to.deep.equal([{ key: 'theme' }]);
      const later = project.model(Pref).build({ key: 'later' });
      expect(project.dbOf(later), 'built outside the scope: still unbound').to.equal(undefined);
      await expect(later.save(), 'saving it outside a solution asks the routers, which need the hint').to.be.rejectedWith(/'database' hint/);
      await project.withSolution('acme', () => later.save());
      expect(await queryDatabase(tenant!, 'SELECT key FROM pref ORDER BY key')).to.deep.equal([{ key: 'later' }, { key: 'theme' }]);
    } finally {
      await project.close();
    }
  });
});
