import { join } from 'node:path';
import { expect } from 'chai';
import { testProject, useDatabases } from '@fbs/testing/mocha';
import { Customer, Invoice } from '../src/models';

describe('fixtures per alias', function () {
  useDatabases(this, {
    databases: ['default', 'billing'],
    fixtures: {
      default: [join(__dirname, 'fixtures/customers.json')],
      billing: [{ model: 'billing.Invoice', rows: [{ customerName: 'Ada', cents: 500 }] }, ({ project }) => project.model(Invoice).create({ customerName: 'Grace', cents: 700 })],
    },
  });

  it('are loaded on their databases before each test', async () => {
    expect((await testProject().model(Customer).findAll({ order: [['id', 'ASC']] })).map((c) => c.name)).to.deep.equal(['Ada', 'Grace']);
    expect(await testProject().model(Invoice).sum('cents')).to.equal(1200);
    await testProject().model(Customer).destroy({ where: {} });
  });

  it('and rolled back after it (each test starts from the fixtures)', async () => {
    expect(await testProject().model(Customer).count()).to.equal(2);
  });
});
