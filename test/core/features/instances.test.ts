import { expect } from 'chai';
import type { RoutedModel } from '@fbs/core';
import { Gadget, storeApp } from '../../fixtures/features/store';
import { setupFeatures, type FeatureWorld, type Shard } from './setup';

const ALL = ['default', 'a', 'b'] as const;

/** A row with every column set, inserted with the same id on every database (each with its own note). */
async function seedEverywhere(w: FeatureWorld, id: number): Promise<void> {
  for (const alias of ALL) {
    await w.sql(
      alias,
      `INSERT INTO feat_gadgets (id, code, contact, price, stock, sold, note, label, specs, attrs) ` +
        `VALUES ($1, $2, 'x@y.io', 12, 3, 4, $3, 'lbl', '{"k": 1}', '{"c": "red"}')`,
      [id, `QQQ${id}`, `note-${alias}`],
    );
  }
}

describe('features: instances keep their database (save, update, reload, destroy), move, and build()', () => {
  let routed: FeatureWorld;
  let plain: FeatureWorld;
  before(async () => {
    routed = await setupFeatures('inst', [storeApp]);
    plain = await setupFeatures('inst_plain', [storeApp], { routers: [] });
  });
  after(async () => {
    await routed?.close();
    await plain?.close();
  });

  const contexts: { name: string; db: Shard; w: () => FeatureWorld; model: () => RoutedModel<Gadget>; run: <T>(fn: () => Promise<T>) => Promise<T> }[] = [
    { name: 'routed to a', db: 'a', w: () => routed, model: () => routed.project.model(Gadget), run: (fn) => routed.on('a', fn) },
    { name: 'routed to b', db: 'b', w: () => routed, model: () => routed.project.model(Gadget), run: (fn) => routed.on('b', fn) },
    { name: "loaded with using('b'), no routers", db: 'b', w: () => plain, model: () => plain.project.using('b', Gadget), run: (fn) => fn() },
  ];
  let nextId = 10;

  for (const ctx of contexts) {
    it(`${ctx.name}: save, update, reload and destroy touch only the row of the database it came from`, async () => {
      const w = ctx.w();
      const id = ++nextId;
      await seedEverywhere(w, id);
      const g = (await ctx.run(() => ctx.model().findByPk(id)))!;
      expect([g.note, w.project.dbOf(g)]).to.deep.equal([`note-${ctx.db}`, ctx.db]);
      const notes = async () => Object.fromEntries(await Promise.all(ALL.map(async (a) => [a, (await w.rows(a, 'feat_gadgets', `id = ${id}`))[0]?.note ?? null])));
      const others = (mine: string | null) => Object.fromEntries(ALL.map((a) => [a, a === ctx.db ? mine : `note-${a}`]));

      g.note = 'saved';
      await ctx.run(() => g.save());
      expect(await notes()).to.deep.equal(others('saved'));
      await ctx.run(() => g.update({ note: 'updated' }));
      expect(await notes()).to.deep.equal(others('updated'));
      await w.sql(ctx.db, `UPDATE feat_gadgets SET note = 'changed-behind' WHERE id = $1`, [id]);
      await ctx.run(() => g.reload());
      expect(g.note).to.equal('changed-behind');
      await ctx.run(() => g.destroy());
      expect(await notes()).to.deep.equal(others(null));
    });
  }

  describe('Django-style move: an instance loaded from a, saved while the router says b', () => {
    const full = async (alias: string, id: number) => (await routed.rows(alias, 'feat_gadgets', `id = ${id}`))[0];

    for (const how of ['save()', 'update()'] as const) {
      it(`${how}: the row lands in b with the same primary key and every column; a keeps its row`, async () => {
        const id = 100 + (how === 'save()' ? 1 : 2);
        await routed.sql('a', `INSERT INTO feat_gadgets (id, code, contact, price, stock, sold, note, label, specs, attrs) VALUES ($1, 'MOV${id}', 'm@v.io', 77, 8, 9, 'in-a', 'mov', '{"k": 2}', '{"c": "blue"}')`, [id]);
        const original = await full('a', id);
        const g = (await routed.on('a', () => routed.project.model(Gadget).findByPk(id)))!;
        expect(routed.project.dbOf(g)).to.equal('a');
        if (how === 'save()') {
          g.note = 'moved';
          await g.save(); // no hints: the router sends Gadget to b
        } else {
          await g.update({ note: 'moved' });
        }
        expect(routed.project.dbOf(g)).to.equal('b');
        expect(await full('b', id)).to.deep.equal({ ...original, note: 'moved' });
        expect(await full('a', id), 'the source row is untouched').to.deep.equal(original);
        expect(await full('default', id)).to.equal(undefined);
      });
    }

    it('save(): when b already has a row with that primary key, it is overwritten with every column of the instance', async () => {
      const id = 103;
      await routed.sql('a', `INSERT INTO feat_gadgets (id, code, price, stock, note, specs) VALUES ($1, 'OVR1', 5, 6, 'from-a', '{"from": "a"}')`, [id]);
      await routed.sql('b', `INSERT INTO feat_gadgets (id, code, price, stock, note, label) VALUES ($1, 'OVR2', 1, 1, 'from-b', 'b-label')`, [id]);
      const original = await full('a', id);
      const g = (await routed.on('a', () => routed.project.model(Gadget).findByPk(id)))!;
      await g.save();
      expect(await full('b', id)).to.deep.equal(original);
      expect(await routed.rows('b', 'feat_gadgets', `id = ${id}`)).to.have.length(1);
    });
  });

  describe('build(): an unsaved instance has no database until its first save', () => {
    it('dbOf(built) is undefined; the first save goes where dbForWrite says at save time', async () => {
      const built = routed.project.model(Gadget).build({ code: 'BLD1', price: 3 }); // no hints now: the router would say b
      expect(routed.project.dbOf(built)).to.equal(undefined);
      expect(built.isNewRecord).to.equal(true);
      await routed.on('a', () => built.save());
      expect(routed.project.dbOf(built)).to.equal('a');
      expect(await routed.counts('feat_gadgets', `code = 'BLD1'`)).to.deep.equal({ default: 0, a: 1, b: 0 });
    });

    it('built inside a scope that says a, saved where the router says b at that moment', async () => {
      const built = routed.on('a', async () => routed.project.model(Gadget).build({ code: 'BLD2' }));
      const g = await built;
      expect(routed.project.dbOf(g)).to.equal(undefined);
      await g.save();
      expect(routed.project.dbOf(g)).to.equal('b');
      expect(await routed.counts('feat_gadgets', `code = 'BLD2'`)).to.deep.equal({ default: 0, a: 0, b: 1 });
    });

    it('with no routers, the first save of a built instance goes to default', async () => {
      const g = plain.project.model(Gadget).build({ code: 'BLD3' });
      expect(plain.project.dbOf(g)).to.equal(undefined);
      await g.save();
      expect(plain.project.dbOf(g)).to.equal('default');
      expect(await plain.counts('feat_gadgets', `code = 'BLD3'`)).to.deep.equal({ default: 1, a: 0, b: 0 });
    });
  });
});
