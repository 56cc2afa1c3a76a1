import { expect } from 'chai';
import { CrossDatabaseError } from '@fbs/core';
import { Customer, Invoice } from '../fixtures/models';
import { BillingRouter } from '../fixtures/routers';
import { setupProject, type TestProject } from './setup';

describe('transactions follow the router', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'billing'], [new BillingRouter()])));
  after(() => t.close());

  it('routed calls to the database inside fn join the transaction; rollback on throw undoes them', async () => {
    const failure = new Error('boom');
    await expect(
      t.project.transaction('default', async () => {
        await t.project.model(Customer).create({ name: 'rolled-back' });
        expect(await t.project.model(Customer).count({ where: { name: 'rolled-back' } }), 'visible inside').to.equal(1);
        throw failure;
      }),
    ).to.be.rejectedWith(failure);
    expect(await t.rows('default', 'shop_customer', `name = 'rolled-back'`)).to.have.length(0);
  });

  it('given a model, uses its dbForWrite', async () => {
    await expect(
      t.project.transaction(Invoice, async (tx) => {
        expect((tx as any).sequelize).to.equal(t.project.connection('billing'));
        await t.project.model(Invoice).create({ number: 'TX1' });
        throw new Error('undo');
      }),
    ).to.be.rejectedWith('undo');
    expect(await t.rows('billing', 'billing_invoice', `number = 'TX1'`)).to.have.length(0);
  });

  it('a transaction on one database does not capture queries to another', async () => {
    await expect(
      t.project.transaction('default', async () => {
        await t.project.model(Customer).create({ name: 'in-tx' });
        await t.project.model(Invoice).create({ number: 'OUTSIDE' }); // billing: not in the default transaction
        throw new Error('rollback default only');
      }),
    ).to.be.rejectedWith('rollback default only');
    expect(await t.rows('default', 'shop_customer', `name = 'in-tx'`)).to.have.length(0);
    expect(await t.rows('billing', 'billing_invoice', `number = 'OUTSIDE'`)).to.have.length(1);
  });

  it('commits when fn resolves, and instance saves inside join it', async () => {
    const c = await t.project.transaction('default', async () => {
      const created = await t.project.model(Customer).create({ name: 'committed' });
      created.name = 'committed-2';
      await created.save();
      return created;
    });
    expect((await t.rows('default', 'shop_customer', `id = ${c.id}`))[0].name).to.equal('committed-2');
  });

  it('nested calls use savepoints', async () => {
    await t.project.transaction('default', async () => {
      await t.project.model(Customer).create({ name: 'outer' });
      await expect(
        t.project.transaction('default', async () => {
          await t.project.model(Customer).create({ name: 'inner' });
          throw new Error('inner fails');
        }),
      ).to.be.rejectedWith('inner fails');
      expect(await t.project.model(Customer).count({ where: { name: 'inner' } })).to.equal(0);
    });
    expect(await t.rows('default', 'shop_customer', `name = 'outer'`)).to.have.length(1);
    expect(await t.rows('default', 'shop_customer', `name = 'inner'`)).to.have.length(0);
  });

  it('findOrCreate and raw repository calls join the ambient transaction', async () => {
    await expect(
      t.project.transaction('default', async () => {
        await t.project.model(Customer).findOrCreate({ where: { name: 'foc' } });
        await t.project.repository('default', Customer).create({ name: 'raw' });
        throw new Error('undo both');
      }),
    ).to.be.rejectedWith('undo both');
    expect(await t.rows('default', 'shop_customer', `name IN ('foc', 'raw')`)).to.have.length(0);
  });

  it('concurrent transactions on two databases stay apart', async () => {
    await Promise.all([
      t.project.transaction('default', async () => {
        await t.project.model(Customer).create({ name: 'par-a' });
        await new Promise((r) => setTimeout(r, 20));
      }),
      expect(
        t.project.transaction('billing', async () => {
          await t.project.model(Invoice).create({ number: 'par-b' });
          await new Promise((r) => setTimeout(r, 10));
          throw new Error('billing fails');
        }),
      ).to.be.rejectedWith('billing fails'),
    ]);
    expect(await t.rows('default', 'shop_customer', `name = 'par-a'`)).to.have.length(1);
    expect(await t.rows('billing', 'billing_invoice', `number = 'par-b'`)).to.have.length(0);
  });
});

describe('transactions of another database', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'billing'], [new BillingRouter()])));
  after(() => t.close());

  it('a transaction passed to a call routed to another database is refused before any SQL', async () => {
    await t.project.transaction('default', async (tx) => {
      const error = await t.project.model(Invoice).create({ number: 'WRONG' }, { transaction: tx }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(CrossDatabaseError);
      expect((error as Error).message).to.include("routed to database 'billing' but was given a transaction of database 'default'");
      const inv = await t.project.model(Invoice).create({ number: 'RIGHT' });
      await expect(inv.save({ transaction: tx })).to.be.rejectedWith(CrossDatabaseError);
    });
    expect(await t.rows('billing', 'billing_invoice', `number = 'WRONG'`)).to.have.length(0);
    expect(await t.rows('default', 'billing_invoice', `number = 'WRONG'`)).to.have.length(0);
  });
});
