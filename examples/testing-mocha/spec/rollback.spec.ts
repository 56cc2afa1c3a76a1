import { expect } from 'chai';
import { Client } from 'pg';
import { testDatabases, testProject, useDatabases } from '@fbs/testing/mocha';
import { Customer, Invoice } from '../src/models';
import { signUp } from '../src/shop';
import { rejection } from './rejection';

/** Rows of a table, over a direct connection (outside the test's transaction). */
async function committed(database: string, table: string): Promise<number> {
  const { server } = testDatabases();
  const client = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('per-test rollback on every declared alias', function () {
  useDatabases(this, ['default', 'billing']);

  it('a test that leaves rows (its code commits its own transactions)', async () => {
    const project = testProject();
    await signUp(project, 'Ada', 1200);
    await signUp(project, 'Grace', 900);
    expect(await project.model(Customer).count()).to.equal(2);
    expect(await project.model(Invoice).count()).to.equal(2);
    // Its commits are savepoints of the test's transaction: nothing is visible outside it.
    expect(await committed(testDatabases().names.default!, 'shop_customer')).to.equal(0);
  });

  it('the next test finds none of them, on either database', async () => {
    const project = testProject();
    expect(await project.model(Customer).count()).to.equal(0);
    expect(await project.model(Invoice).count()).to.equal(0);
  });

  it('a failed inner transaction rolls back to its savepoint only', async () => {
    const project = testProject();
    await project.model(Customer).create({ name: 'kept' });
    const error = await rejection(project.transaction('default', async () => {
      await project.model(Customer).create({ name: 'undone' });
      throw new Error('boom');
    }));
    expect(error.message).to.equal('boom');
    expect((await project.model(Customer).findAll()).map((c) => c.name)).to.deep.equal(['kept']);
  });

  it('runs on the test databases, not the configured ones', () => {
    const { names } = testDatabases();
    expect(names.default).to.match(/shop_db$/).and.not.equal('shop_db');
    expect(names.billing).to.match(/billing_db$/).and.not.equal('billing_db');
    if (process.env.EXPECT_SERVER_KIND) expect(testDatabases().server.kind).to.equal(process.env.EXPECT_SERVER_KIND);
  });
});
