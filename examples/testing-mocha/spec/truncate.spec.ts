import { expect } from 'chai';
import { Client } from 'pg';
import { testDatabases, testProject, useDatabases } from '@fbs/testing/mocha';
import { Customer } from '../src/models';

async function committedNames(): Promise<string[]> {
  const { server, names } = testDatabases();
  const client = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: names.default });
  await client.connect();
  try {
    return (await client.query('SELECT name FROM shop_customer ORDER BY id')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('isolation: truncate (real commits)', function () {
  useDatabases(this, { databases: ['default'], isolation: 'truncate' });

  it('commits for real: another connection sees the row', async () => {
    await testProject().model(Customer).create({ name: 'committed' });
    expect(await committedNames()).to.deep.equal(['committed']);
  });

  it('the tables are emptied after each test (ids restart)', async () => {
    expect(await committedNames()).to.deep.equal([]);
    const row = await testProject().model(Customer).create({ name: 'again' });
    expect(row.id).to.equal(1);
  });
});
