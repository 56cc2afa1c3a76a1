import { expect } from 'chai';
import { Ledger, storeApp } from '../../fixtures/features/store';
import { SHARDS, onlyOn, otherShard, setupFeatures, type FeatureWorld } from './setup';

describe('features: paranoid models, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => (w = await setupFeatures('paranoid', [storeApp])));
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const on = <T>(fn: () => Promise<T>) => w.on(db, fn);
      const ledgers = () => w.project.model(Ledger);
      const deletedAt = async (entry: string) => (await w.rows(db, 'feat_ledgers', `entry = '${entry}'`)).map((r) => r.deletedAt !== null);

      it('instance destroy sets deletedAt in the routed database; reads hide the row unless paranoid: false', async () => {
        const row = await on(() => ledgers().create({ entry: `e1-${db}` }));
        await on(() => row.destroy());
        expect(await deletedAt(`e1-${db}`)).to.deep.equal([true]);
        expect(await w.counts('feat_ledgers', `entry = 'e1-${db}'`)).to.deep.equal(onlyOn(db, 1));
        expect(await on(() => ledgers().findOne({ where: { entry: `e1-${db}` } }))).to.equal(null);
        expect(await on(() => ledgers().count({ where: { entry: `e1-${db}` } }))).to.equal(0);
        const hidden = await on(() => ledgers().findOne({ where: { entry: `e1-${db}` }, paranoid: false }));
        expect(hidden!.entry).to.equal(`e1-${db}`);
        expect(hidden!.isSoftDeleted()).to.equal(true);
        expect(w.project.dbOf(hidden)).to.equal(db);
      });

      it('instance restore clears deletedAt in the routed database', async () => {
        const hidden = (await on(() => ledgers().findOne({ where: { entry: `e1-${db}` }, paranoid: false })))!;
        await on(() => hidden.restore());
        expect(await deletedAt(`e1-${db}`)).to.deep.equal([false]);
        expect(await on(() => ledgers().count({ where: { entry: `e1-${db}` } }))).to.equal(1);
      });

      it('static destroy and restore touch only the routed database', async () => {
        await on(() => ledgers().bulkCreate([{ entry: `s1-${db}` }, { entry: `s2-${db}` }]));
        // the same entries on the other database must not be touched
        await w.on(otherShard(db), () => ledgers().bulkCreate([{ entry: `s1-${db}` }, { entry: `s2-${db}` }]));
        expect(await on(() => ledgers().destroy({ where: { entry: [`s1-${db}`, `s2-${db}`] } }))).to.equal(2);
        expect(await deletedAt(`s1-${db}`)).to.deep.equal([true]);
        const others = await w.rows(otherShard(db), 'feat_ledgers', `entry LIKE 's_-${db}'`);
        expect(others.map((r) => r.deletedAt)).to.deep.equal([null, null]);
        await on(() => ledgers().restore({ where: { entry: `s1-${db}` } }));
        expect([await deletedAt(`s1-${db}`), await deletedAt(`s2-${db}`)]).to.deep.equal([[false], [true]]);
        const all = await on(() => ledgers().findAll({ where: { entry: [`s1-${db}`, `s2-${db}`] }, paranoid: false, order: [['entry', 'ASC']] }));
        expect(all.map((l) => [l.entry, l.isSoftDeleted()])).to.deep.equal([[`s1-${db}`, false], [`s2-${db}`, true]]);
      });

      it('destroy({ force: true }) deletes the row for good, in the routed database only', async () => {
        const row = await on(() => ledgers().create({ entry: `f-${db}` }));
        await w.on(otherShard(db), () => ledgers().create({ entry: `f-${db}` }));
        expect(await w.counts('feat_ledgers', `entry = 'f-${db}'`)).to.deep.equal({ default: 0, a: 1, b: 1 });
        await on(() => row.destroy({ force: true }));
        expect(await w.counts('feat_ledgers', `entry = 'f-${db}'`)).to.deep.equal({ default: 0, [db]: 0, [otherShard(db)]: 1 });
      });
    });
  }
});
