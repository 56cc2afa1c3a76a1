import { expect } from 'chai';
import { ConfigurationError, CrossDatabaseError } from '@fbs/core';
import { Customer, Invoice } from '../fixtures/models';
import { BillingRouter } from '../fixtures/routers';
import { setupProject, type TestProject } from './setup';

// project.access: the hooks @fbs/testing builds per-test rollback and forbidden aliases on.
describe('core: project.access (outer transaction per alias, alias guards)', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'billing'], [new BillingRouter()])));
  after(() => t.close());

  it('an outer transaction is joined by routed, raw and nested transactional calls from any async context, and undone by its rollback', async () => {
    const { project } = t;
    const outer = await project.connection('default').transaction();
    project.access.setOuterTransaction('default', outer);
    try {
      await new Promise<void>((resolve, reject) => setImmediate(() => project.model(Customer).create({ name: 'routed' }).then(() => resolve(), reject)));
      await project.transaction('default', () => project.model(Customer).create({ name: 'savepoint' }));
      await project.connection('default').query("INSERT INTO shop_customer (name) VALUES ('raw')");
      const unmanaged = await project.connection('default').transaction();
      await project.model(Customer).create({ name: 'unmanaged' }, { transaction: unmanaged });
      await unmanaged.commit();
      expect(await project.model(Customer).count()).to.equal(4);
      expect(await t.rows('default', 'shop_customer'), 'nothing committed').to.deep.equal([]);
      // Another alias is not captured.
      await project.model(Invoice).create({ number: 'OUT' });
      expect(await t.rows('billing', 'billing_invoice')).to.have.length(1);
    } finally {
      project.access.setOuterTransaction('default', undefined);
      await outer.rollback();
    }
    expect(await project.model(Customer).count()).to.equal(0);
    expect(project.access.outerTransaction('default')).to.equal(undefined);
  });

  it('a finished outer transaction is ignored; a transaction of another alias is still refused', async () => {
    const { project } = t;
    const outer = await project.connection('default').transaction();
    project.access.setOuterTransaction('default', outer);
    await outer.rollback();
    expect(project.access.outerTransaction('default')).to.equal(undefined);
    await project.model(Customer).create({ name: 'committed' });
    expect(await t.rows('default', 'shop_customer')).to.have.length(1);
    project.access.setOuterTransaction('default', undefined);
    const billing = await project.connection('billing').transaction();
    try {
      await expect(project.connection('default').query('SELECT 1', { transaction: billing })).to.be.rejectedWith(CrossDatabaseError);
    } finally {
      await billing.rollback();
    }
  });

  it('guards are asked before every query and transaction, may refuse them before any connection, and are removable', async () => {
    const { project } = t;
    const asked: string[] = [];
    const remove = project.access.addGuard((alias, what) => {
      asked.push(`${alias}:${what}`);
      if (alias === 'billing') throw new Error(`no ${what} on billing`);
    });
    try {
      await expect(project.model(Invoice).count()).to.be.rejectedWith('no query on billing');
      await expect(project.transaction('billing', async () => 1)).to.be.rejectedWith('no transaction on billing');
      await expect(project.connection('billing').query('SELECT 1')).to.be.rejectedWith('no query on billing');
      expect(await project.model(Customer).count()).to.be.a('number');
    } finally {
      remove();
    }
    expect(asked).to.include.members(['billing:query', 'billing:transaction', 'default:query']);
    expect(await project.model(Invoice).count()).to.be.a('number');
    expect(() => project.access.addGuard('x' as never)).to.throw(ConfigurationError, /addGuard\(\) needs a function/);
    expect(() => project.access.setOuterTransaction('', undefined)).to.throw(ConfigurationError, /needs an alias/);
  });
});
