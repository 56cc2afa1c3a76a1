import { expect } from 'chai';
import { DatabaseOperationForbiddenError } from '@fbs/testing';
import { testProject, useDatabases } from '@fbs/testing/mocha';
import { Customer, Invoice } from '../src/models';
import { signUp } from '../src/shop';
import { rejection } from './rejection';

describe('forbidden aliases', function () {
  useDatabases(this, ['default']);

  it('a query to an undeclared alias fails, naming the alias and the test', async () => {
    const error = await rejection(signUp(testProject(), 'Ada', 100));
    expect(error).to.be.instanceOf(DatabaseOperationForbiddenError);
    expect((error as DatabaseOperationForbiddenError).alias).to.equal('billing');
    expect((error as Error).message)
      .to.contain("to 'billing' are not allowed")
      .and.contain('forbidden aliases a query to an undeclared alias fails, naming the alias and the test')
      .and.contain("databases: ['default', 'billing']");
  });

  it('raw queries are guarded too', async () => {
    const error = await rejection(testProject().connection('billing').query('SELECT 1'));
    expect(error).to.be.instanceOf(DatabaseOperationForbiddenError);
    expect(error.message).to.contain("'billing'");
    expect(await testProject().model(Customer).count()).to.equal(0);
  });

  useDatabases(it('a test may declare more than its suite', async () => {
    expect(await testProject().model(Invoice).count()).to.equal(0);
  }), ['default', 'billing']);
});
