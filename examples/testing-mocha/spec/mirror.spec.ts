import { expect } from 'chai';
import { testDatabases, testProject, useDatabases } from '@fbs/testing/mocha';
import { Customer } from '../src/models';
import { customerCount } from '../src/shop';

describe('a mirror (replica) alias', function () {
  useDatabases(this, ['default', 'replica']);

  it('uses its target test database and reads what the test wrote there', async () => {
    expect(testDatabases().names.replica).to.equal(testDatabases().names.default);
    await testProject().model(Customer).create({ name: 'on default' });
    expect(await customerCount(testProject())).to.equal(1);
  });

  it('is rolled back with it', async () => {
    expect(await customerCount(testProject())).to.equal(0);
  });
});
