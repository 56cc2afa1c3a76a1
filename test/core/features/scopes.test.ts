import { expect } from 'chai';
import { Category, Product, storeApp } from '../../fixtures/features/store';
import { seedStore, storeBase } from '../../fixtures/features/store-seed';
import { SHARDS, onlyOn, otherShard, setupFeatures, type FeatureWorld } from './setup';

describe('features: default scopes and scopes with includes, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => {
    w = await setupFeatures('scopes', [storeApp]);
    for (const db of SHARDS) await seedStore((sql) => w.sql(db, sql), db);
  });
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const on = <T>(fn: () => Promise<T>) => w.on(db, fn);
      const products = () => w.project.model(Product);
      const names = (rows: Product[]) => rows.map((p) => p.name);

      it('the default scope applies to findAll, count and findByPk; unscoped() lifts it', async () => {
        expect(names(await on(() => products().findAll({ order: [['id', 'ASC']] })))).to.deep.equal([`cheap-${db}`, `dear-${db}`]);
        expect(await on(() => products().count())).to.equal(2);
        expect(await on(() => products().findByPk(storeBase(db) + 3))).to.equal(null);
        const off = await on(() => products().unscoped().findByPk(storeBase(db) + 3));
        expect(off!.name).to.equal(`off-${db}`);
        expect(w.project.dbOf(off)).to.equal(db);
        expect(await on(() => products().unscoped().count())).to.equal(3);
      });

      it("the default scope of an included model filters the include", async () => {
        const cats = await on(() => w.project.model(Category).findAll({ include: [Product], order: [['id', 'ASC'], ['products', 'id', 'ASC']] }));
        expect(cats.map((c) => [c.name, names(c.products!)])).to.deep.equal([[`cat1-${db}`, [`cheap-${db}`]], [`cat2-${db}`, [`dear-${db}`]]]);
        expect(w.project.dbOf(cats[0]!.products![0])).to.equal(db);
      });

      it('a scope with an include loads the related rows of the same database', async () => {
        const rows = await on(() => products().scope('withCategory').findAll({ order: [['id', 'ASC']] }));
        expect(rows.map((p) => p.category!.name)).to.deep.equal([`cat1-${db}`, `cat2-${db}`, `cat1-${db}`]);
        expect(rows.map((p) => w.project.dbOf(p.category))).to.deep.equal([db, db, db]);
      });

      it('a function scope with an include where', async () => {
        const rows = await on(() => products().scope({ method: ['inCategory', `cat2-${db}`] }).findAll());
        expect(names(rows)).to.deep.equal([`dear-${db}`]);
        expect(w.project.dbOf(rows[0])).to.equal(db);
      });

      it('scope() replaces the default scope; listing defaultScope merges them', async () => {
        expect(names(await on(() => products().scope('cheap').findAll({ order: [['id', 'ASC']] })))).to.deep.equal([`cheap-${db}`, `off-${db}`]);
        expect(names(await on(() => products().scope(['defaultScope', 'cheap']).findAll()))).to.deep.equal([`cheap-${db}`]);
      });

      it('a scoped bulk update writes only the scoped rows, only on the routed database', async () => {
        const before = await w.rows(otherShard(db), 'feat_products');
        const [affected] = await on(() => products().scope('cheap').update({ price: 1 }, { where: {} }));
        expect(affected).to.equal(2);
        const rows = await w.rows(db, 'feat_products');
        expect(rows.map((r) => [r.name, r.price])).to.deep.equal([[`cheap-${db}`, 1], [`dear-${db}`, 50], [`off-${db}`, 1]]);
        expect(await w.rows(otherShard(db), 'feat_products')).to.deep.equal(before);
        const created = await on(() => products().scope('withCategory').create({ name: `new-${db}`, price: 7 }));
        expect(w.project.dbOf(created)).to.equal(db);
        expect(await w.counts('feat_products', `name = 'new-${db}'`)).to.deep.equal(onlyOn(db, 1));
      });
    });
  }
});
