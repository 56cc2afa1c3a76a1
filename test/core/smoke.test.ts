import { expect } from 'chai';
import { createProject, type Project } from '@fbs/core';
import { allApps, Customer, Order, Invoice } from '../fixtures/models';
import { BillingRouter } from '../fixtures/routers';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

describe('smoke', () => {
  let project: Project;
  let names: string[];
  before(async () => {
    const server = await testServer();
    names = await createDatabases(2);
    project = createProject({
      databases: { default: server.url(names[0]!), billing: server.url(names[1]!) },
      routers: [new BillingRouter()],
      apps: allApps,
    });
    await project.connection('default').sync();
    await project.connection('billing').sync();
  });
  after(() => project.close());

  it('routes', async () => {
    const c = await project.model(Customer).create({ name: 'a' });
    const i = await project.model(Invoice).create({ number: 'X1' });
    expect(project.dbOf(c)).to.equal('default');
    expect(project.dbOf(i)).to.equal('billing');
    const rows = await queryDatabase(names[1]!, 'select * from billing_invoice');
    expect(rows).to.have.length(1);
    const o = await project.model(Order).create({ total: 3, customerId: c.id });
    const found = await project.model(Order).findAll({ include: [Customer] });
    expect(found[0]!.customer!.name).to.equal('a');
    expect(project.dbOf(o)).to.equal('default');
  });
});
