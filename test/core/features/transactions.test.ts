import { expect } from 'chai';
import { Op, QueryTypes, Transaction } from 'sequelize';
import { Gadget, storeApp } from '../../fixtures/features/store';
import { SHARDS, otherShard, setupFeatures, type FeatureWorld, type Shard } from './setup';

/** Rows seeded on each database (QQQ1… on both; a different number on each, so a count shows where it ran). */
const SEEDED: Record<Shard, number> = { a: 3, b: 4 };

describe('features: raw queries in the open transaction, row locks, skipLocked and isolation levels, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => {
    w = await setupFeatures('tx', [storeApp]);
    for (const db of SHARDS) {
      const values = Array.from({ length: SEEDED[db] }, (_, i) => `('QQQ${i + 1}', ${i + 1})`).join(', ');
      await w.sql(db, `INSERT INTO feat_gadgets (code, price) VALUES ${values}`);
    }
  });
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const D = db.toUpperCase();
      const other = otherShard(db);
      const gadgets = () => w.project.model(Gadget);
      /** A transaction on the database the router picks for Gadget, inside the routing scope of `db`. */
      const tx = <T>(fn: (t: Transaction) => Promise<T>, options?: object) => w.on(db, () => w.project.transaction(Gadget, fn, options));

      it('project.connection(alias).query joins the open transaction (with or without { transaction }); rollback undoes both', async () => {
        const failure = new Error('roll back');
        await expect(
          tx(async (t) => {
            expect(w.project.dbOf(await gadgets().create({ code: `RQ${D}` }))).to.equal(db);
            const raw = w.project.connection(db);
            const seen = await raw.query(`SELECT code FROM feat_gadgets WHERE code = '${'RQ' + D}'`, { type: QueryTypes.SELECT });
            expect(seen, 'the raw query sees the uncommitted routed insert').to.deep.equal([{ code: `RQ${D}` }]);
            await raw.query(`INSERT INTO feat_gadgets (code) VALUES ('RR${D}')`);
            await raw.query(`INSERT INTO feat_gadgets (code) VALUES ('RS${D}')`, { transaction: t });
            expect(await gadgets().count({ where: { code: [`RR${D}`, `RS${D}`] } }), 'routed reads see the raw inserts').to.equal(2);
            expect(await w.rows(db, 'feat_gadgets', `code LIKE 'R_${D}'`), 'nothing is committed yet').to.have.length(0);
            throw failure;
          }),
        ).to.be.rejectedWith(failure);
        expect(await w.counts('feat_gadgets', `code LIKE 'R_${D}'`)).to.deep.equal({ default: 0, a: 0, b: 0 });
      });

      it('the raw query and the routed write commit together on the routed database', async () => {
        await tx(async () => {
          await gadgets().create({ code: `CM${D}` });
          await w.project.connection(db).query(`UPDATE feat_gadgets SET note = 'raw' WHERE code = 'CM${D}'`);
        });
        expect((await w.rows(db, 'feat_gadgets', `code = 'CM${D}'`)).map((r) => r.note)).to.deep.equal(['raw']);
        expect(await w.rows(other, 'feat_gadgets', `code = 'CM${D}'`)).to.have.length(0);
      });

      it('lock: Transaction.LOCK.UPDATE holds the row lock in the routed database; a second transaction with skipLocked skips that row', async () => {
        let locked!: () => void;
        let release!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const released = new Promise<void>((r) => (release = r));
        const first = tx(async () => {
          const rows = await gadgets().findAll({ where: { code: 'QQQ1' }, lock: Transaction.LOCK.UPDATE });
          expect(rows.map((g) => g.code)).to.deep.equal(['QQQ1']);
          locked();
          await released;
        });
        try {
          await isLocked;
          const nowait = `SELECT code FROM feat_gadgets WHERE code = 'QQQ1' FOR UPDATE NOWAIT`;
          await expect(w.sql(db, nowait), 'the row is locked in the routed database').to.be.rejectedWith(/could not obtain lock/);
          expect(await w.sql(other, nowait), 'and not in the other one').to.deep.equal([{ code: 'QQQ1' }]);
          // started from the test, not from inside the first transaction: a separate transaction on the same database
          const second = await tx(() => gadgets().findAll({ where: { code: { [Op.like]: 'QQQ%' } }, lock: Transaction.LOCK.UPDATE, skipLocked: true, order: [['code', 'ASC']], limit: 2 }));
          expect(second.map((g) => g.code)).to.deep.equal(['QQQ2', 'QQQ3']);
        } finally {
          release();
          await first;
        }
        expect(await w.sql(db, `SELECT code FROM feat_gadgets WHERE code = 'QQQ1' FOR UPDATE NOWAIT`), 'released at commit').to.have.length(1);
      });

      it('REPEATABLE READ sees a snapshot: a row committed meanwhile stays invisible; READ COMMITTED sees it', async () => {
        const base = await w.on(db, () => gadgets().count());
        expect(base).to.equal((await w.rows(db, 'feat_gadgets')).length);
        const repeatable = await tx(
          async () => {
            const [level] = await w.project.connection(db).query('SHOW transaction_isolation', { type: QueryTypes.SELECT });
            const first = await gadgets().count();
            await w.sql(db, `INSERT INTO feat_gadgets (code) VALUES ('IS${D}')`);
            return { level, first, second: await gadgets().count() };
          },
          { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ },
        );
        expect(repeatable).to.deep.equal({ level: { transaction_isolation: 'repeatable read' }, first: base, second: base });
        const committed = await tx(
          async () => {
            const first = await gadgets().count();
            await w.sql(db, `INSERT INTO feat_gadgets (code) VALUES ('IT${D}')`);
            return [first, await gadgets().count()];
          },
          { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED },
        );
        expect(committed).to.deep.equal([base + 1, base + 2]);
        const serializable = await tx(() => w.project.connection(db).query('SHOW transaction_isolation', { type: QueryTypes.SELECT }), {
          isolationLevel: Transaction.ISOLATION_LEVELS.SERIALIZABLE,
        });
        expect(serializable).to.deep.equal([{ transaction_isolation: 'serializable' }]);
        expect(await w.rows(other, 'feat_gadgets', `code LIKE 'I_${D}'`)).to.have.length(0);
      });
    });
  }
});
