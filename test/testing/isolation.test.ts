import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { DatabaseOperationForbiddenError, setupTestDatabases, type TestDatabases } from '@fbs/testing';
import { Customer, Invoice } from '../../examples/testing-mocha/src/models';
import { signUp } from '../../examples/testing-mocha/src/shop';
import { countRows, dropWithPrefix, shopConfig, uniquePrefix } from './helpers';

describe('@fbs/testing: per-test isolation (isolate)', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix();
  let db: TestDatabases;
  before(async () => {
    db = await setupTestDatabases(await shopConfig(prefix));
  });
  after(async () => {
    await db?.teardown({ templates: true });
    await dropWithPrefix(prefix);
  });

  it('every query on a declared alias joins the test transaction from any async context, and end() undoes it all', async () => {
    const storage = new AsyncLocalStorage<string>();
    // Begun in one async context (a runner's beforeEach)…
    const test = await storage.run('beforeEach', () => db.isolate({ title: 'contexts', databases: ['default', 'billing'] }));
    // …used from others: a timer, an unrelated context, concurrent calls.
    await new Promise<void>((resolve, reject) => setTimeout(() => signUp(db.project, 'from a timer', 1).then(() => resolve(), reject), 1));
    await storage.run('it', () => Promise.all(Array.from({ length: 10 }, (_, i) => db.project.model(Customer).create({ name: `c${i}` }))));
    await db.project.connection('billing').transaction(async () => db.project.model(Invoice).create({ customerName: 'raw', cents: 2 }));
    const unmanaged = await db.project.connection('default').transaction();
    await db.project.model(Customer).create({ name: 'in an unmanaged transaction' }, { transaction: unmanaged });
    await unmanaged.commit();
    expect(await db.project.model(Customer).count()).to.equal(12);
    expect(await db.project.model(Invoice).count()).to.equal(2);
    // Nothing reached the databases for real…
    expect(await countRows(db.names.default!, 'shop_customer')).to.equal(0);
    expect(await countRows(db.names.billing!, 'billing_invoice')).to.equal(0);
    await test.end();
    // …and after end() nothing is left, through the project either.
    expect(await db.project.model(Customer).count()).to.equal(0);
    expect(await db.project.model(Invoice).count()).to.equal(0);
  });

  it('an undeclared alias fails with DatabaseOperationForbiddenError naming the alias, the test and the fix; end() lifts the guard', async () => {
    const test = await db.isolate({ title: 'licenses › grants one', databases: ['default'] });
    const error = await db.project.model(Invoice).count().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DatabaseOperationForbiddenError);
    expect(error).to.include({ alias: 'billing', test: 'licenses › grants one' });
    expect((error as Error).message).to.equal(
      `Database queries to 'billing' are not allowed in test "licenses › grants one": it declares 'default'. Add 'billing' to its databases (e.g. databases: ['default', 'billing']) to allow them.`,
    );
    const opening = await db.project.connection('billing').transaction(async () => 1).catch((e: unknown) => e);
    expect(opening).to.be.instanceOf(DatabaseOperationForbiddenError).with.property('message').that.contains('transactions');
    await test.end();
    expect(await db.project.model(Invoice).count()).to.equal(0);
  });

  it("'__all__' declares every alias; an unknown alias or isolation mode is refused", async () => {
    const test = await db.isolate({ title: 'all', databases: '__all__' });
    expect(test.databases).to.deep.equal(['default', 'billing', 'replica']);
    expect(await db.project.model(Invoice).count()).to.equal(0);
    await test.end();
    await expect(db.isolate({ title: 'typo', databases: ['biling'] })).to.be.rejectedWith(ConfigurationError, /declares database 'biling', which is not one of the run's aliases \('default', 'billing', 'replica'\)/);
    await expect(db.isolate({ title: 'mode', isolation: 'savepoint' as never })).to.be.rejectedWith(ConfigurationError, /isolation must be 'transaction' or 'truncate'/);
  });

  it('one test at a time: isolate() while one runs is refused, naming it', async () => {
    const test = await db.isolate({ title: 'first' });
    await expect(db.isolate({ title: 'second' })).to.be.rejectedWith(/test "first" is still running/);
    await test.end();
    await test.end(); // idempotent
  });

  it('fixtures load through the routers, on their aliases, and a fixture on the wrong alias is refused', async () => {
    const test = await db.isolate({ title: 'fixtures', databases: ['default', 'billing'], fixtures: { billing: [{ model: 'billing.Invoice', rows: [{ customerName: 'f', cents: 3 }] }] } });
    expect(await db.project.model(Invoice).count()).to.equal(1);
    await test.end();
    await expect(db.isolate({ title: 'wrong', databases: ['default', 'billing'], fixtures: { default: [{ model: 'billing.Invoice', rows: [{ customerName: 'f', cents: 3 }] }] } }))
      .to.be.rejectedWith(ConfigurationError, /'billing.Invoice' does not live on 'default'/);
    await expect(db.isolate({ title: 'unknown', fixtures: { default: [{ model: 'shop.Client', rows: [] }] } })).to.be.rejectedWith(ConfigurationError, /'shop.Client' is not registered; known: shop.Customer, billing.Invoice/);
    // A refused start leaves nothing behind: the next test starts clean.
    const next = await db.isolate({ title: 'next', databases: '__all__' });
    expect(await db.project.model(Invoice).count()).to.equal(0);
    await next.end();
  });
});
