import { describe, expect, it } from 'vitest';
import { DatabaseOperationForbiddenError } from '@fbs/testing';
import { Customer } from '../../testing-mocha/src/models';
import { signUp } from '../../testing-mocha/src/shop';
import { testing } from './setup';

// The defaults: only `default`.
describe('forbidden aliases (vitest)', () => {
  it('a query to billing fails, naming the alias and the test', async () => {
    const error = await signUp(testing.project, 'Ada', 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOperationForbiddenError);
    expect((error as Error).message).toContain("Database transactions to 'billing' are not allowed in test \"test/forbidden.spec.ts > a query to billing fails, naming the alias and the test\"");
    // The customer it created first is rolled back with the test.
    expect(await testing.project.model(Customer).count()).toBe(1);
  });

  it('and the customer is gone for the next test', async () => {
    expect(await testing.project.model(Customer).count()).toBe(0);
  });
});
