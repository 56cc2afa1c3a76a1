import { expect } from 'chai';
import { Op, col, fn, literal, where } from 'sequelize';
import { Gadget, storeApp } from '../../fixtures/features/store';
import { SHARDS, otherShard, setupFeatures, type FeatureWorld, type Shard } from './setup';

/** Prices seeded on each database (codes QQQ1… are the same on both): every aggregate differs by database. */
const PRICES: Record<Shard, number[]> = { a: [1, 2, 3], b: [10, 20, 30, 40] };

describe('features: finders, aggregates, counters, upsert, bulkCreate, truncate, Op / literal / fn / col, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => {
    w = await setupFeatures('queries', [storeApp]);
    for (const db of SHARDS) {
      const values = PRICES[db].map((p, i) => `('QQQ${i + 1}', ${p}, 5, 0)`).join(', ');
      await w.sql(db, `INSERT INTO feat_gadgets (code, price, stock, sold) VALUES ${values}`);
    }
  });
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const prices = PRICES[db];
      const other = otherShard(db);
      const on = <T>(f: () => Promise<T>) => w.on(db, f);
      const gadgets = () => w.project.model(Gadget);
      const row = async (alias: string, code: string) => (await w.rows(alias, 'feat_gadgets', `code = '${code}'`))[0];
      const D = db.toUpperCase();
      /** Runs `f` routed to `db` and checks that the other database and default are exactly as before. */
      async function routed<T>(f: () => Promise<T>): Promise<T> {
        const before = [await w.rows(other, 'feat_gadgets'), await w.rows('default', 'feat_gadgets')];
        const result = await on(f);
        expect([await w.rows(other, 'feat_gadgets'), await w.rows('default', 'feat_gadgets')], 'the other databases are untouched').to.deep.equal(before);
        return result;
      }

      it('findAndCountAll counts every match and pages the rows', async () => {
        const { count, rows } = await on(() => gadgets().findAndCountAll({ where: { price: { [Op.gt]: prices[0]! } }, order: [['price', 'DESC']], limit: 2 }));
        expect(count).to.equal(prices.length - 1);
        expect(rows.map((g) => g.price)).to.deep.equal([...prices].reverse().slice(0, 2));
        expect(rows.map((g) => w.project.dbOf(g))).to.deep.equal([db, db]);
      });

      it('count, max, min, sum and aggregate read the routed database', async () => {
        const total = prices.reduce((s, p) => s + p, 0);
        expect(await on(() => gadgets().count())).to.equal(prices.length);
        expect(await on(() => gadgets().max('price'))).to.equal(Math.max(...prices));
        expect(await on(() => gadgets().min('price'))).to.equal(Math.min(...prices));
        expect(await on(() => gadgets().sum('price'))).to.equal(total);
        expect(await on(() => gadgets().sum('price', { where: { code: 'QQQ1' } }))).to.equal(prices[0]);
        expect(Number(await on(() => gadgets().aggregate('price', 'avg')))).to.equal(total / prices.length);
        expect(Number(await on(() => gadgets().aggregate('code', 'count', { distinct: true })))).to.equal(prices.length);
      });

      it('Op, literal, fn and col in where, attributes and order', async () => {
        const find = (options: any) => on(() => gadgets().findAll({ order: [['code', 'ASC']], ...options }));
        const codes = (rows: Gadget[]) => rows.map((g) => g.code);
        expect(codes(await find({ where: { price: { [Op.between]: [prices[1], prices[2]] } } }))).to.deep.equal(['QQQ2', 'QQQ3']);
        expect(codes(await find({ where: { [Op.or]: [{ code: 'QQQ1' }, { price: { [Op.gte]: prices[2] } }] } }))).to.deep.equal(['QQQ1', 'QQQ3', ...(prices.length > 3 ? ['QQQ4'] : [])]);
        expect(codes(await find({ where: { code: { [Op.in]: ['QQQ2', 'NOPE'], [Op.like]: 'QQ%' } } }))).to.deep.equal(['QQQ2']);
        expect(codes(await find({ where: literal(`price = ${prices[2]}`) }))).to.deep.equal(['QQQ3']);
        expect(codes(await find({ where: where(fn('lower', col('code')), 'qqq2') }))).to.deep.equal(['QQQ2']);
        const doubled = await find({ where: { code: 'QQQ2' }, attributes: ['code', [literal('price * 2'), 'double']] });
        expect(doubled.map((g) => g.get({ plain: true }))).to.deep.equal([{ code: 'QQQ2', double: prices[1]! * 2 }]);
        const [sums] = await on(() => gadgets().findAll({ attributes: [[fn('sum', col('price')), 'total'], [fn('count', col('id')), 'n']], raw: true })) as any[];
        expect([Number(sums.total), Number(sums.n)]).to.deep.equal([prices.reduce((s, p) => s + p, 0), prices.length]);
        const ordered = await find({ order: [[literal('price'), 'DESC']], limit: 1 });
        expect(ordered.map((g) => g.price)).to.deep.equal([Math.max(...prices)]);
      });

      it('static increment and decrement change only the routed database', async () => {
        await routed(() => gadgets().increment('stock', { by: 2, where: { code: 'QQQ1' } }));
        await routed(() => gadgets().increment({ stock: 1, sold: 4 }, { where: { code: 'QQQ1' } }));
        await routed(() => gadgets().decrement('stock', { by: 3, where: { code: 'QQQ1' } }));
        expect([(await row(db, 'QQQ1')).stock, (await row(db, 'QQQ1')).sold]).to.deep.equal([5, 4]);
        await routed(() => gadgets().increment('stock', { by: 10, where: { code: 'QQQ2' } }));
        expect((await row(db, 'QQQ2')).stock).to.equal(15);
      });

      it('instance increment and decrement on a loaded row', async () => {
        const g = (await on(() => gadgets().findOne({ where: { code: 'QQQ3' } })))!;
        await routed(() => g.increment('stock', { by: 3 }));
        expect(g.stock).to.equal(8);
        await routed(() => g.decrement(['stock', 'sold']));
        expect([g.stock, g.sold]).to.deep.equal([7, -1]);
        expect([(await row(db, 'QQQ3')).stock, (await row(db, 'QQQ3')).sold]).to.deep.equal([7, -1]);
        expect(w.project.dbOf(g)).to.equal(db);
      });

      it('upsert updates by the unique key or inserts, on the routed database', async () => {
        const before = await row(db, 'QQQ1');
        const [updated] = await routed(() => gadgets().upsert({ code: 'QQQ1', price: 99 }));
        expect(updated.price).to.equal(99);
        const [inserted] = await routed(() => gadgets().upsert({ code: `UP${D}`, price: 7 }));
        expect(w.project.dbOf(inserted)).to.equal(db);
        expect(await row(db, 'QQQ1')).to.deep.equal({ ...before, price: 99 });
        expect((await row(db, `UP${D}`)).price).to.equal(7);
      });

      it('bulkCreate with updateOnDuplicate and returning', async () => {
        const before = await row(db, 'QQQ2');
        const rows = await routed(() => gadgets().bulkCreate([{ code: 'QQQ2', price: 500 }, { code: `NW${D}`, price: 1 }], { updateOnDuplicate: ['price'] }));
        expect(rows.map((g) => g.id)).to.deep.equal([before.id, (await row(db, `NW${D}`)).id]);
        expect(await row(db, 'QQQ2')).to.deep.equal({ ...before, price: 500 });
        const returned = await routed(() => gadgets().bulkCreate([{ code: `RT${D}` }], { returning: true }));
        const [stored] = await w.rows(db, 'feat_gadgets', `code = 'RT${D}'`);
        expect([returned[0]!.id, returned[0]!.stock]).to.deep.equal([stored.id, 0]);
        expect(w.project.dbOf(returned[0])).to.equal(db);
      });

      it('truncate empties the table of the routed database only', async () => {
        await routed(() => gadgets().truncate({ cascade: true, restartIdentity: true }));
        expect(await w.rows(db, 'feat_gadgets')).to.have.length(0);
        const g = await routed(() => gadgets().create({ code: `TR${D}` }));
        expect(g.id, 'restartIdentity restarted the sequence of the routed database').to.equal(1);
        await routed(() => gadgets().destroy({ truncate: true }));
        expect(await w.rows(db, 'feat_gadgets')).to.have.length(0);
      });
    });
  }
});
