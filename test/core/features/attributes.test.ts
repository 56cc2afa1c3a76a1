import { expect } from 'chai';
import { Op, UniqueConstraintError, ValidationError } from 'sequelize';
import { Gadget, storeApp } from '../../fixtures/features/store';
import { SHARDS, onlyOn, otherShard, setupFeatures, type FeatureWorld } from './setup';

describe('features: validations, getters, setters, virtual attributes, JSON and JSONB, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => (w = await setupFeatures('attrs', [storeApp])));
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const D = db.toUpperCase();
      const on = <T>(fn: () => Promise<T>) => w.on(db, fn);
      const gadgets = () => w.project.model(Gadget);

      it('attribute and model validators reject before any row is written anywhere', async () => {
        await expect(on(() => gadgets().create({ code: 'bad' }))).to.be.rejectedWith(ValidationError, /Validation is on code failed/);
        await expect(on(() => gadgets().create({ code: `VA${D}`, contact: 'not-an-email' }))).to.be.rejectedWith(ValidationError, /isEmail on contact/);
        await expect(on(() => gadgets().create({ code: `VA${D}`, price: -1 }))).to.be.rejectedWith(ValidationError, /min on price/);
        await expect(on(() => gadgets().create({ code: `VA${D}`, price: 2000 }))).to.be.rejectedWith(ValidationError, /over 1000 needs a note/);
        await expect(on(() => gadgets().bulkCreate([{ code: `VB${D}` }, { code: 'nope' }], { validate: true }))).to.be.rejected;
        expect(await w.counts('feat_gadgets', `code IN ('bad', 'nope', 'VA${D}', 'VB${D}')`)).to.deep.equal({ default: 0, a: 0, b: 0 });
      });

      it('an invalid update of a loaded instance is rejected and the row stays as it was', async () => {
        const g = await on(() => gadgets().create({ code: `VU${D}`, price: 5 }));
        await expect(on(() => g.update({ price: -5 }))).to.be.rejectedWith(ValidationError);
        expect((await w.rows(db, 'feat_gadgets', `code = 'VU${D}'`)).map((r) => r.price)).to.deep.equal([5]);
        await on(() => g.update({ price: 2000, note: 'worth it' }));
        expect((await w.rows(db, 'feat_gadgets', `code = 'VU${D}'`)).map((r) => r.price)).to.deep.equal([2000]);
        expect(await w.counts('feat_gadgets', `code = 'VU${D}'`)).to.deep.equal(onlyOn(db, 1));
      });

      it('a unique constraint is per database: a duplicate is refused on the same database only', async () => {
        await on(() => gadgets().create({ code: `UQ${D}` }));
        await expect(on(() => gadgets().create({ code: `UQ${D}` }))).to.be.rejectedWith(UniqueConstraintError);
        await w.on(otherShard(db), () => gadgets().create({ code: `UQ${D}` }));
        expect(await w.counts('feat_gadgets', `code = 'UQ${D}'`)).to.deep.equal({ default: 0, a: 1, b: 1 });
      });

      it('setters shape what is stored, getters what is read, virtual attributes are computed and never stored', async () => {
        const created = await on(() => gadgets().create({ code: `GS${D}`, price: 7, label: '  Hello World  ' }));
        expect(created.label).to.equal('HELLO WORLD');
        const [row] = await w.rows(db, 'feat_gadgets', `code = 'GS${D}'`);
        expect(row.label).to.equal('hello world');
        expect(row).to.not.have.property('summary');
        const loaded = (await on(() => gadgets().findOne({ where: { code: `GS${D}` } })))!;
        expect(w.project.dbOf(loaded)).to.equal(db);
        expect([loaded.label, loaded.summary]).to.deep.equal(['HELLO WORLD', `GS${D}@7`]);
        expect(loaded.get({ plain: true })).to.include({ label: 'HELLO WORLD', summary: `GS${D}@7` });
        expect(loaded.getDataValue('label')).to.equal('hello world');
        loaded.label = ' Bye ';
        await on(() => loaded.save());
        expect((await w.rows(db, 'feat_gadgets', `code = 'GS${D}'`))[0].label).to.equal('bye');
        const partial = await on(() => gadgets().findAll({ where: { code: `GS${D}` }, attributes: ['code', 'label'] }));
        expect(partial.map((g) => g.get({ plain: true }))).to.deep.equal([{ code: `GS${D}`, label: 'BYE' }]);
      });

      it('JSON and JSONB columns: stored with their types, queried by path and containment, updated in place', async () => {
        const specs = { weight: 3, dims: { w: 1, h: [2, 3] } };
        const g = await on(() => gadgets().create({ code: `JS${D}`, specs, attrs: { color: 'red', size: 3, tags: ['x', 'y'] } }));
        const [row] = await w.sql(db, `SELECT json_typeof(specs) AS s, jsonb_typeof(attrs) AS a, attrs->>'color' AS color, specs->'dims'->'h'->>1 AS h FROM feat_gadgets WHERE code = $1`, [`JS${D}`]);
        expect(row).to.deep.equal({ s: 'object', a: 'object', color: 'red', h: '3' });
        const types = await w.sql(db, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'feat_gadgets' AND column_name IN ('specs', 'attrs') ORDER BY 1`);
        expect(types.map((t) => t.data_type)).to.deep.equal(['jsonb', 'json']);
        const find = (where: any) => on(() => gadgets().findAll({ where: { code: `JS${D}`, ...where } }));
        expect(await find({ attrs: { color: 'red' } })).to.have.length(1);
        expect(await find({ 'attrs.size': { [Op.gt]: 2 } })).to.have.length(1);
        expect(await find({ attrs: { [Op.contains]: { tags: ['y'] } } })).to.have.length(1);
        expect(await find({ specs: { dims: { w: 1 } } })).to.have.length(1);
        expect(await find({ attrs: { color: 'blue' } })).to.have.length(0);
        const loaded = (await find({}))[0]!;
        expect(loaded.specs).to.deep.equal(specs);
        loaded.attrs = { ...loaded.attrs, color: 'blue' };
        await on(() => loaded.save());
        expect((await w.sql(db, `SELECT attrs->>'color' AS c FROM feat_gadgets WHERE code = $1`, [`JS${D}`]))[0].c).to.equal('blue');
        expect(await w.counts('feat_gadgets', `code = 'JS${D}'`)).to.deep.equal(onlyOn(db, 1));
        expect(w.project.dbOf(g)).to.equal(db);
      });
    });
  }
});
