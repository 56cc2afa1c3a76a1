import { expect } from 'chai';
import { Audited, hookLog, storeApp } from '../../fixtures/features/store';
import { SHARDS, onlyOn, otherShard, setupFeatures, type FeatureWorld, type Shard } from './setup';

/** What plain Sequelize (one `new Sequelize`, same models, same hooks) logs for each operation. */
const PLAIN = {
  create: [['beforeValidate', 'beforeCreate', 'beforeSave', 'afterCreate'], ['g:beforeCreate', 'd:afterCreate']],
  update: [['beforeValidate', 'beforeSave', 'beforeUpdate', 'beforeValidate', 'afterUpdate'], []],
  findAll: [['beforeFind', 'afterFind'], ['g:afterFind']],
  bulkCreate: [['beforeBulkCreate', 'afterBulkCreate'], ['g:beforeBulkCreate']],
  staticUpdate: [['beforeValidate', 'beforeBulkUpdate'], []],
  staticDestroy: [['beforeBulkDestroy'], []],
  destroy: [['beforeDestroy', 'afterDestroy'], ['d:beforeDestroy']],
} as const;

describe('features: model hooks and global hooks fire once per operation, routed to two databases', () => {
  let w: FeatureWorld;
  /** Sequelize-level hooks: `g:` permanent hooks (`hooks` option), `d:` default model hooks (`define.hooks`), with the database of the instance. */
  const global: string[] = [];
  const at = (x: any) => w.project.dbOf(Array.isArray(x) ? x[0] : x);
  before(async () => {
    w = await setupFeatures('hooks', [storeApp], {
      databaseOptions: {
        hooks: {
          beforeCreate: (i: any) => void global.push(`g:beforeCreate@${at(i)}`),
          afterFind: (r: any) => void global.push(`g:afterFind@${at(r)}`),
          beforeBulkCreate: (r: any) => void global.push(`g:beforeBulkCreate@${at(r)}`),
        },
        define: { hooks: { afterCreate: (i: any) => void global.push(`d:afterCreate@${at(i)}`), beforeDestroy: (i: any) => void global.push(`d:beforeDestroy@${at(i)}`) } },
      },
    });
  });
  after(() => w?.close());

  /** Runs `fn` routed to `db` and returns the model hooks and the global hooks it fired. */
  async function fired(db: Shard, fn: () => Promise<unknown>): Promise<[string[], string[]]> {
    hookLog.length = 0;
    global.length = 0;
    await w.on(db, fn);
    return [[...hookLog], [...global]];
  }
  // An instance has no database until it is saved (Django's `_state.db` is None in pre_save): the
  // before-create hooks see `dbOf` undefined, every later hook the database it went to.
  const unsavedIn = new Set(['g:beforeCreate', 'g:beforeBulkCreate']);
  const expected = (db: Shard, [model, sequelize]: readonly [readonly string[], readonly string[]]) => [
    [...model],
    sequelize.map((g) => `${g}@${unsavedIn.has(g) ? undefined : db}`),
  ];

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const audited = () => w.project.model(Audited);
      let row: Audited;

      it('create: each hook once; beforeCreate changes reach the row in the routed database', async () => {
        expect(await fired(db, async () => (row = await audited().create({ name: `h-${db}` })))).to.deep.equal(expected(db, PLAIN.create));
        expect(w.project.dbOf(row)).to.equal(db);
        expect((await w.rows(db, 'feat_audited', `name = 'h-${db}'`)).map((r) => r.stamp)).to.deep.equal([`stamped-h-${db}`]);
        expect(await w.counts('feat_audited', `name = 'h-${db}'`)).to.deep.equal(onlyOn(db, 1));
      });

      it('instance update and save: each hook once', async () => {
        expect(await fired(db, () => row.update({ name: `h2-${db}` }))).to.deep.equal(expected(db, PLAIN.update));
        expect(await fired(db, async () => { row.name = `h3-${db}`; await row.save(); })).to.deep.equal(expected(db, PLAIN.update));
        expect(await w.counts('feat_audited', `name = 'h3-${db}'`)).to.deep.equal(onlyOn(db, 1));
      });

      it('findAll and findByPk: beforeFind / afterFind once', async () => {
        expect(await fired(db, () => audited().findAll())).to.deep.equal(expected(db, PLAIN.findAll));
        expect(await fired(db, () => audited().findByPk(row.id))).to.deep.equal(expected(db, PLAIN.findAll));
      });

      it('bulkCreate, static update and static destroy: the bulk hooks once', async () => {
        expect(await fired(db, () => audited().bulkCreate([{ name: `b1-${db}` }, { name: `b2-${db}` }]))).to.deep.equal(expected(db, PLAIN.bulkCreate));
        expect(await w.counts('feat_audited', `name LIKE 'b_-${db}'`)).to.deep.equal(onlyOn(db, 2));
        expect(await fired(db, () => audited().update({ name: `b9-${db}` }, { where: { name: `b1-${db}` } }))).to.deep.equal(expected(db, PLAIN.staticUpdate));
        expect(await fired(db, () => audited().destroy({ where: { name: `b2-${db}` } }))).to.deep.equal(expected(db, PLAIN.staticDestroy));
        expect((await w.rows(db, 'feat_audited', `name LIKE 'b_-${db}'`)).map((r) => r.name)).to.deep.equal([`b9-${db}`]);
      });

      it('instance destroy: each hook once, the row leaves the routed database only', async () => {
        const before = await w.counts('feat_audited');
        expect(await fired(db, () => row.destroy())).to.deep.equal(expected(db, PLAIN.destroy));
        const after = await w.counts('feat_audited');
        expect(after).to.deep.equal({ ...before, [db]: before[db] - 1 });
      });

      it('a hook added on one connection fires for that database only, once', async () => {
        const seen: string[] = [];
        const hook = (i: any) => void seen.push(`${i.name}@${at(i)}`);
        w.project.connection(db).addHook('afterCreate', `only-${db}`, hook);
        try {
          await w.on(db, () => audited().create({ name: `c-${db}` }));
          await w.on(otherShard(db), () => audited().create({ name: `c-${otherShard(db)}-x` }));
        } finally {
          w.project.connection(db).removeHook('afterCreate', `only-${db}`);
        }
        expect(seen).to.deep.equal([`c-${db}@${db}`]);
      });
    });
  }
});
